"""Downloads, extractions and scratch files that do the same in any
working directory (`dockfix.cwdfree` reads the rest).

- `curl`/`wget` to absolute paths or to standard output, from URLs;
- `tar` extracting an absolute archive (or a pipe) into an absolute folder;
- `Scratch`: the official images' tarball, downloaded into the folder the
  RUN starts in under a plain name, checked, unpacked and removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dockfix.cwdfree import (
    ABSOLUTE,
    FIXED,
    OPTION,
    Lookup,
    above,
    stable_word,
    variable_value,
)

# Options of curl and wget that take the next word as their value, and those
# whose value is a file or folder they read or write (checked to be absolute).
_CURL_VALUED = frozenset(
    {"-H", "--header", "-A", "--user-agent", "-u", "--user", "-X", "--request", "-m"}
    | {"--max-time", "--retry", "--retry-delay", "--retry-max-time", "--connect-timeout"}
    | {"--proto", "--proto-redir", "-w", "--write-out", "-e", "--referer"}
)
_CURL_FILES = frozenset({"-o", "--output"})
_WGET_VALUED = frozenset({"-t", "--tries", "-T", "--timeout", "-U", "--user-agent", "--header"})
_WGET_FILES = frozenset({"-O", "--output-document", "-P", "--directory-prefix"})
# Options that read or write a file named otherwise (a config file, the
# remote name in the folder, a file to upload or a list of URLs).
_REFUSED = re.compile(
    r"-[a-zA-Z]*[OJKTdFi]|--(?:remote-name|remote-header-name|config|upload-file|data.*"
    r"|form|create-dirs|input-file|output-file|append-output|cookie.*|netrc-file|load-cookies)"
)
# A URL: unquoted, a glob in it could only match under a folder named
# `https:` of the folder the command starts in.
_URL = re.compile(
    r"https?://[A-Za-z0-9._~:/?#@!&'()*+,;=%$-]+|'https?://[^'\n]*'"
    r"|\"https?://(?:[^\"$`\\\n]|\$(?!\())*\""  # in double quotes: variables, no substitution
)


def transfer(name: str, args: list[str], lookup: Lookup, made: str) -> bool:
    """Whether `curl` or `wget` ARGS fetches URLs to standard output or to
    absolute paths only (`curl -fsSL URL -o /tmp/x.tgz`, `wget -qO /tmp/x
    URL`, `wget -P /tmp URL`), none being `made` or a folder above it."""
    if name == "curl":
        valued, files = _CURL_VALUED, _CURL_FILES
    elif name == "wget":
        valued, files = _WGET_VALUED, _WGET_FILES
        if not any(
            a in files
            or a.startswith(("--output-document=", "--directory-prefix="))
            or re.fullmatch(r"-[a-zA-Z]*[OP]\S*", a)
            for a in args
        ):
            return False  # wget saves under the remote name, in the folder
    else:
        return False
    urls = 0
    n = 0
    while n < len(args):
        arg = args[n]
        option, eq, attached = arg.partition("=")
        bundled = re.fullmatch(r"-[a-zA-Z]*[oOP](?P<path>\S*)", arg)
        if option in files or bundled:
            if bundled and bundled["path"]:
                path, taken = bundled["path"], 1  # `-qO-`, `-o/tmp/x`
            elif eq:
                path, taken = attached, 1
            else:
                path, taken = (args[n + 1] if n + 1 < len(args) else ""), 2
            if path != "-" and (not ABSOLUTE.fullmatch(path) or above(path, made)):
                return False
            n += taken
            continue
        if option in valued:
            value = attached if eq else (args[n + 1] if n + 1 < len(args) else "")
            if value.startswith("@") or not (FIXED.fullmatch(value) or stable_word(value, lookup)):
                return False
            n += 1 if eq else 2
            continue
        if arg.startswith("-"):
            if _REFUSED.fullmatch(option) or not OPTION.fullmatch(option):
                return False
            if eq and not FIXED.fullmatch(attached):
                return False
        elif (
            _URL.fullmatch(arg)
            or _URL.fullmatch(variable_value(arg, lookup) or "")
            or (re.match(r"https?://", arg) is not None and stable_word(arg, lookup))
        ):
            urls += 1
        else:
            return False
        n += 1
    return urls > 0


# gpg's options that change nothing of what it reads, and those that take a
# value (a key server is a host name or a URL).
_GPG_FLAGS = frozenset({"--batch", "--no-tty", "--quiet", "-q", "--yes", "--no-autostart"})
_GPG_VALUED = frozenset({"--keyserver", "--keyserver-options"})


def signature_check(args: list[str], lookup: Lookup, paths: Callable[[str], bool]) -> bool:
    """Whether `gpg ARGS` fetches keys from a key server (`--recv-keys KEY…`)
    or checks a signature (`--verify SIG [FILE]`) of files `paths` accepts
    (absolute ones, or scratch files): gpg keeps its keys in `$GNUPGHOME` or
    `~/.gnupg`, never in the folder it starts in."""
    n = 0
    while n < len(args):
        arg = args[n]
        option, eq, value = arg.partition("=")
        if arg in _GPG_FLAGS:
            n += 1
        elif option in _GPG_VALUED:
            given = value if eq else (args[n + 1] if n + 1 < len(args) else "")
            if not stable_word(given, lookup):
                return False
            n += 1 if eq else 2
        elif arg in ("--recv-keys", "--receive-keys", "--recv-key"):
            keys = args[n + 1 :]
            return bool(keys) and all(stable_word(k, lookup) for k in keys)
        elif arg == "--verify":
            files = args[n + 1 :]
            return 1 <= len(files) <= 2 and all(paths(f) for f in files)
        else:
            return False
    return False


def extraction(args: list[str], made: str) -> bool:
    """Whether `tar ARGS` extracts an archive named by an absolute path (or
    read from a pipe) into an absolute folder (`-C`/`--directory`), so that
    the folder it starts in plays no part. An extraction that makes `made`
    (the WORKDIR's folder, made first) ends the same: GNU tar sets a folder
    it extracts to the archive's mode and owner whether it existed or not
    (`--overwrite-dir`, its default), as BusyBox's tar does for every entry."""
    directory: str | None = None
    archive: str | None = "-"
    extract = False
    n = 0
    while n < len(args):
        arg = args[n]
        if n == 0 and re.fullmatch(r"[a-zA-Z]+", arg):
            arg = "-" + arg  # the old style, `tar xzf FILE`
        if arg in ("-C", "--directory") or arg.startswith("--directory="):
            directory = arg.partition("=")[2] or (args[n + 1] if n + 1 < len(args) else "")
            n += 1 if "=" in arg else 2
            continue
        if arg == "--strip-components" and n + 1 < len(args) and args[n + 1].isdigit():
            n += 2  # `--strip-components 1`: the value as a word of its own
            continue
        if arg.startswith("--file="):
            archive = arg.partition("=")[2]
        elif arg == "--file":
            archive = args[n + 1] if n + 1 < len(args) else None
            n += 2
            continue
        elif arg in ("-x", "--extract", "--get"):
            extract = True
        elif re.fullmatch(r"-[a-zA-Z]+", arg):
            if re.search(r"[cruATX]", arg[1:]):
                return False  # another mode, a list of names or patterns from a file
            extract = extract or "x" in arg
            valued = [c for c in arg[1:] if c in "fC"]
            if valued:
                # `-xzf FILE`, `-xzC DIR`: the last letter takes the next word.
                if len(valued) > 1 or arg[-1] not in "fC" or n + 1 >= len(args):
                    return False
                if arg[-1] == "f":
                    archive = args[n + 1]
                else:
                    directory = args[n + 1]
                n += 2
                continue
        elif arg.startswith("--"):
            if not re.fullmatch(
                r"--(?:strip-components=[0-9]+|no-same-owner|no-same-permissions"
                r"|gzip|bzip2|xz|zstd|verbose|exclude=[A-Za-z0-9_./*-]+|overwrite)",
                arg,
            ):
                return False
        elif not FIXED.fullmatch(arg) or any(c in arg for c in "*?["):
            return False  # a member name: plain text only
        n += 1
    return (
        extract
        and archive is not None
        and (archive == "-" or bool(ABSOLUTE.fullmatch(archive)))
        and directory is not None
        and bool(ABSOLUTE.fullmatch(directory))
    )


_SCRATCH_NAME = re.compile(r"[A-Za-z0-9_+][A-Za-z0-9._+-]*")
_CHECKSUMS = frozenset({"sha256sum", "sha512sum", "sha1sum", "md5sum"})
# Where a scratch file is taken to be while its commands are read: any
# absolute path not above the WORKDIR's folder.
_ELSEWHERE = "/dockfix-scratch/"


class Scratch:
    """Files a script downloads into the folder it runs in under a plain
    name, reads by that name and removes before it ends, such as the
    official images' `curl -fsSL -o src.tar.gz "$URL" && echo "$SHA
    src.tar.gz" | sha256sum -c - && tar -xzf src.tar.gz -C /usr/src/x && rm
    src.tar.gz`: the same in any folder, the file gone at the end either
    way (a file of that name the folder held before is the one difference:
    the old script overwrote and removed it)."""

    def __init__(self) -> None:
        self.made: set[str] = set()
        self.removed: set[str] = set()
        self._message: list[str] | None = None  # an `echo`'s words piped on

    def take(self, words: list[str], piped: bool, lookup: Lookup, made: str) -> bool | None:
        """True where `words` (a simple command, `piped` into the next) only
        downloads, checks, unpacks or removes scratch files as above; False
        where it names one otherwise; None where it names none (read it as
        any other command)."""
        message, self._message = self._message, None
        name, args = words[0], words[1:]
        named = [a for a in args if a in self.made or a in self.removed]
        if name in ("echo", "printf") and piped and all(_quoted_or_stable(a, lookup) for a in args):
            self._message = args
            return True
        if name in ("curl", "wget"):
            output = _output_name(name, args)
            if output is None or output in self.made or output in self.removed:
                return None if output is None and not named else False
            self.made.add(output)
            moved = [_ELSEWHERE + a if a == output else a for a in args]
            return transfer(name, moved, lookup, made)
        if name in _CHECKSUMS and message is not None:
            checked = _checked_names(message)
            if not checked or any(n not in self.made or n in self.removed for n in checked):
                return False
            return all(a in ("-", "-c", "--check", "--strict", "--quiet", "-s") for a in args)
        if not named:
            return None
        if any(n in self.removed for n in named):
            return False
        if name == "tar":
            return extraction([_ELSEWHERE + a if a in self.made else a for a in args], made)
        if name == "gpg":
            # `gpg --verify x.tgz.asc x.tgz`: the signature and the file, both
            # downloaded here, read by name.
            return signature_check(args, lookup, lambda a: a in self.made)
        if name == "rm":
            operands = [a for a in args if not a.startswith("-")]
            if not all(a in self.made for a in operands):
                return False
            self.removed.update(operands)
            return True
        return False

    def clean(self) -> bool:
        """Whether every scratch file made was removed."""
        return self.made <= self.removed


def _quoted_or_stable(word: str, lookup: Lookup) -> bool:
    return stable_word(word, lookup) or bool(re.fullmatch(r"'[^'\n]*'", word))


def _output_name(name: str, args: list[str]) -> str | None:
    """The plain name `curl -o NAME` or `wget -O NAME` saves to, if any."""
    flags = ("-o", "--output") if name == "curl" else ("-O", "--output-document")
    for n, arg in enumerate(args):
        option, _, value = arg.partition("=")
        if arg in flags and n + 1 < len(args):
            value = args[n + 1]
        elif not (option in flags[1:] and value):
            bundled = re.fullmatch(r"-[a-zA-Z]*" + flags[0][1] + r"(?P<name>\S+)", arg)
            if bundled is None:
                continue
            value = bundled["name"]
        return value if _SCRATCH_NAME.fullmatch(value) else None
    return None


def _checked_names(words: list[str]) -> list[str]:
    """The file names in checksum lines an `echo` prints (`HASH  NAME`,
    `HASH *NAME`), one line per word at most."""
    text = " ".join(w[1:-1] if w[:1] == w[-1:] and w[:1] in "'\"" else w for w in words)
    parts = text.split()
    if len(parts) < 2:
        return []
    last = parts[-1].removeprefix("*")
    return [last] if _SCRATCH_NAME.fullmatch(last) else []
