"""Shell words and commands that do the same in any working directory.

cd-workdir moves a `cd DIR` of a RUN up to a WORKDIR above it when the
commands before the `cd` would do the same in DIR. Besides messages and
package installs (read in the fix), scripts open with two idioms that only
compute text:

- an assignment of a command substitution that reads no file: an
  architecture query or a text filter on fixed words and variables,
  `ARCH=$(dpkg --print-architecture)`, `BUILD=$(echo ${VERSION} | cut -d. -f3)`,
  `export ARCH=$(uname -m | sed 's/x86_64/amd64/')`;
- `if [ "$ARCH" = "arm64" ]; then export ARCH=aarch64; fi`: a test of strings
  (a file test only of an absolute path), whichever branch it takes.

A word qualifies only when the shell cannot match it against the folder's
files (no glob, no unquoted variable of unknown value) and it names no
relative path.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from dockfix.shell import raw_lexemes
from dockfix.words import is_unknown, unknown

# Plain text, or quotes around text with nothing the shell expands.
_FIXED = re.compile(r"[A-Za-z0-9_.,:=@%+/#-]+|'[^'\n]*'|" + r'"[^"$`\\\n]*"')
# Double quotes around text and plain variables: expanded, but neither split
# nor matched against files.
_QUOTED = re.compile(r'"(?:[^"$`\\\n]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*"')
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)
# BuildKit's platform arguments: `linux/amd64`, `arm64`, `v7`, never a glob.
_PLAIN_WITH_VARIABLES = re.compile(
    r"(?:[A-Za-z0-9_.,:=@%+/-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+"
)
_PLATFORM_ARGS = frozenset(
    f"{side}{part}"
    for side in ("TARGET", "BUILD")
    for part in ("PLATFORM", "OS", "ARCH", "VARIANT")
)
_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.,:=@%+/-]*")
_OPTION = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9-]*")
_ABSOLUTE = re.compile(r"/[^\s$`'\"<>()&|;~\\*?\[]*")

Lookup = Callable[[str], str | None]


def stable_word(word: str, lookup: Lookup) -> bool:
    """Whether `word` expands the same in any folder: fixed text, double
    quotes around text and variables, or plain text with unquoted variables
    (`v${VERSION}`) whose values the file gives (or platform arguments),
    with no blank or glob in them."""
    if _FIXED.fullmatch(word) or _QUOTED.fullmatch(word):
        return True
    if not _PLAIN_WITH_VARIABLES.fullmatch(word):
        return False
    for found in _VARIABLE.finditer(word):
        name = found["braced"] or found["plain"]
        if name in _PLATFORM_ARGS:
            continue
        value = lookup(name)
        if value is None:
            return False
        if is_unknown(value):
            # A build argument: its default stands for what `--build-arg`
            # may pass (a version, an architecture), both without a glob.
            default = _ARG_DEFAULT.fullmatch(value)
            if default is None:
                return False
            value = default["value"]
        if not _SAFE_VALUE.fullmatch(value):
            return False
    return True


def variable_value(word: str, lookup: Lookup) -> str | None:
    """The value of a word that is one variable (`$URL`, `${URL}`, `"${URL}"`):
    the file's, or a build argument's default; None where it is not known."""
    found = _VARIABLE.fullmatch(word[1:-1] if word[:1] == word[-1:] == '"' else word)
    if found is None:
        return None
    value = lookup(found["braced"] or found["plain"])
    if value is None or not is_unknown(value):
        return value
    default = _ARG_DEFAULT.fullmatch(value)
    return None if default is None else default["value"]


_ARG_DEFAULT = re.compile(unknown(r"arg:[A-Za-z_][A-Za-z0-9_]*=(?P<value>[^\x00]*)"))


_STRING_TESTS = frozenset({"=", "==", "!=", "-z", "-n", "!", "-a", "-o"})
_NUMBER_TESTS = frozenset({"-eq", "-ne", "-lt", "-le", "-gt", "-ge"})
_FILE_TESTS = frozenset(
    ["-e", "-f", "-d", "-r", "-w", "-x", "-s", "-L", "-h", "-b", "-c", "-p", "-S"]
)


def string_test(name: str, args: list[str], lookup: Lookup, made: str = "/") -> bool:
    """Whether `[ ARGS ]` or `test ARGS` reads no file of the folder and
    nothing a WORKDIR to `made` makes first: tests of strings and numbers,
    file tests of absolute paths only, neither `made` nor a folder above it."""
    if name == "[":
        if not args or args[-1] != "]":
            return False
        args = args[:-1]
    elif name != "test":
        return False
    for n, arg in enumerate(args):
        if arg in _STRING_TESTS or arg in _NUMBER_TESTS:
            continue
        if arg in _FILE_TESTS:
            if n + 1 >= len(args) or not _ABSOLUTE.fullmatch(args[n + 1]):
                return False
            path = posixpath.normpath(args[n + 1])
            if made == path or made.startswith(path.rstrip("/") + "/"):
                return False
            continue
        if not stable_word(arg, lookup):
            return False
    return True


# `NAME=$(…)` or `NAME="$(…)"`, with no nested parenthesis or backtick.
_SUBSTITUTION = re.compile(r'[A-Za-z_][A-Za-z0-9_]*=(?P<q>"?)\$\((?P<inner>[^()`]*)\)(?P=q)')


# An assignment whose value has no command substitution: the shell neither
# splits nor globs it, whatever it expands (`URL="https://…/${V#*@}.tgz"`).
_EXPANDED_ASSIGNMENT = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*=(?:[^`$\s'\"]|'[^'\n]*'|\$(?!\()|\"(?:[^\"`$\\]|\\.|\$(?!\())*\")*"
)


def exported_assignment(word: str, lookup: Lookup) -> bool:
    """Whether `word`, an argument of `export`, assigns a value that neither
    dash (which splits and globs `export`'s arguments) nor bash expands
    differently in another folder: a stable word (`CFLAGS="$PHP_CFLAGS"`)."""
    name, eq, value = word.partition("=")
    return (
        bool(eq)
        and bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name))
        and (value == "" or stable_word(value, lookup))
    )


def expanded_assignment(word: str) -> bool:
    """Whether `word` is an assignment (not an `export` argument, which dash
    splits and globs) with no command substitution in its value."""
    return bool(_EXPANDED_ASSIGNMENT.fullmatch(word))


def computed_assignment(word: str, lookup: Lookup) -> bool:
    """Whether `word` assigns the output of a pipeline that reads no file
    (`text_pipeline`)."""
    found = _SUBSTITUTION.fullmatch(word)
    return found is not None and text_pipeline(found["inner"], lookup)


def text_pipeline(script: str, lookup: Lookup) -> bool:
    """Whether `script` is one command or a pipe of commands that only print
    or filter text: `text_command` for each, joined by `|` only."""
    lexed = raw_lexemes(script)
    if not lexed:
        return False
    command: list[str] = []
    for word, is_operator in [*lexed, ("", True)]:
        if not is_operator:
            command.append(word)
            continue
        if word not in ("|", "") or not command or not text_command(command, lookup):
            return False
        command = []
    return True


# Queries of the machine or the package manager's architecture.
_QUERIES: dict[str, frozenset[tuple[str, ...]]] = {
    "dpkg": frozenset({("--print-architecture",)}),
    "apk": frozenset({("--print-arch",)}),
    "rpm": frozenset({("--eval", "%{_arch}"), ("--eval", "'%{_arch}'")}),
}
_CUT_VALUED = frozenset({"-d", "-f", "-c", "-b"})
_HEAD_VALUED = frozenset({"-n", "-c"})


def text_command(words: list[str], lookup: Lookup) -> bool:
    """Whether one simple command only prints fixed text or variables, asks
    the machine its architecture, or filters its input with no file named:
    `echo`, `printf`, `uname`, `nproc`, `arch`, `dpkg --print-architecture`,
    `apk --print-arch`, `dpkg-architecture -qVAR`, `cut`, `tr`, `head`,
    `tail` and `sed` with `s` commands only."""
    name, args = words[0], words[1:]
    if name in ("echo", "printf"):
        return all(stable_word(a, lookup) for a in args)
    if name in ("uname", "nproc", "arch"):
        return all(_OPTION.fullmatch(a) for a in args)
    if name in _QUERIES:
        return tuple(args) in _QUERIES[name]
    if name == "dpkg-architecture":
        return bool(args) and all(re.fullmatch(r"-q[A-Z_]+", a) for a in args)
    if name == "tr":
        return all(_FIXED.fullmatch(a) for a in args)
    if name == "cut":
        return _options_only(args, _CUT_VALUED, attached=True)
    if name in ("head", "tail"):
        return _options_only(args, _HEAD_VALUED, attached=True)
    if name == "sed":
        return _sed_substitutions(args)
    return False


def _options_only(args: list[str], valued: frozenset[str], attached: bool) -> bool:
    """Whether `args` are options only (no operand, which would be a file):
    one of `valued` takes the next word as its value unless written on it
    (`-d.`, `-d '.'`, `-f2`, `-n 1`)."""
    n = 0
    while n < len(args):
        arg = args[n]
        if arg in valued:
            if n + 1 >= len(args) or not _FIXED.fullmatch(args[n + 1]):
                return False
            n += 2
            continue
        if attached and arg[:2] in valued and _FIXED.fullmatch(arg[2:]):
            n += 1
            continue
        if not (_OPTION.fullmatch(arg) or re.fullmatch(r"--[a-z-]+=" + _FIXED.pattern, arg)):
            return False
        n += 1
    return True


def _sed_substitutions(args: list[str]) -> bool:
    """`sed [-E|-r|-n] [-e] SCRIPT…` whose scripts are `s` commands only,
    without the `w` or `e` flag (which write a file or run a command)."""
    scripts: list[str] = []
    given = "-e" in args  # then every other word is an option or a file
    n = 0
    while n < len(args):
        arg = args[n]
        if arg in ("-E", "-r", "-n", "--regexp-extended"):
            n += 1
            continue
        if arg == "-e":
            if n + 1 >= len(args):
                return False
            scripts.append(args[n + 1])
            n += 2
            continue
        if arg.startswith("-") or given or scripts:
            return False  # another option, or an operand: a file
        scripts.append(arg)
        n += 1
    return bool(scripts) and all(_substitutions(s) for s in scripts)


def _substitutions(word: str) -> bool:
    """Whether a quoted sed script is `s` commands joined by `;`."""
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
        body = word[1:-1]
        if word[0] == '"' and re.search(r"[$`\\]", body):
            return False
    elif re.fullmatch(r"[A-Za-z0-9_./,:=@%+-]+", word):
        body = word
    else:
        return False
    i = 0
    while i < len(body):
        if body[i] != "s" or i + 1 >= len(body):
            return False
        delimiter = body[i + 1]
        if delimiter.isalnum() or delimiter in "\\\n ;":
            return False
        i += 2
        for _ in range(2):  # the pattern, then the replacement
            while i < len(body) and body[i] != delimiter:
                i += 2 if body[i] == "\\" else 1
            if i >= len(body):
                return False
            i += 1
        flags = re.match(r"[gIip0-9]*", body[i:])
        i += flags.end() if flags else 0
        if i < len(body):
            if body[i] != ";":
                return False
            i += 1
    return True


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
            if path != "-" and (not _ABSOLUTE.fullmatch(path) or _above(path, made)):
                return False
            n += taken
            continue
        if option in valued:
            value = attached if eq else (args[n + 1] if n + 1 < len(args) else "")
            if value.startswith("@") or not (_FIXED.fullmatch(value) or stable_word(value, lookup)):
                return False
            n += 1 if eq else 2
            continue
        if arg.startswith("-"):
            if _REFUSED.fullmatch(option) or not _OPTION.fullmatch(option):
                return False
            if eq and not _FIXED.fullmatch(attached):
                return False
        elif _URL.fullmatch(arg) or _URL.fullmatch(variable_value(arg, lookup) or ""):
            urls += 1
        else:
            return False
        n += 1
    return urls > 0


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
        elif not _FIXED.fullmatch(arg) or any(c in arg for c in "*?["):
            return False  # a member name: plain text only
        n += 1
    return (
        extract
        and archive is not None
        and (archive == "-" or bool(_ABSOLUTE.fullmatch(archive)))
        and directory is not None
        and bool(_ABSOLUTE.fullmatch(directory))
    )


def _above(path: str, made: str) -> bool:
    """Whether `path` is `made` or a folder above it."""
    path = posixpath.normpath(path)
    return made == path or made.startswith(path.rstrip("/") + "/")


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
