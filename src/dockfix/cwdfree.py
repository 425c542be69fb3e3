"""Shell words and commands that do the same in any working directory.

cd-workdir moves a `cd DIR` of a RUN up to a WORKDIR above it when the
commands before the `cd` would do the same in DIR. Besides messages and
package installs (read in the fix), scripts open with commands that only
compute text, read here:

- assignments of values with no command substitution, or of one that
  reads no file: an architecture query or a text filter on fixed words and
  variables, `ARCH=$(dpkg --print-architecture)`,
  `BUILD=$(echo ${VERSION} | cut -d. -f3)`, `ARCH=$(uname -m | sed 's/x86_64/amd64/')`;
- `if [ "$ARCH" = "arm64" ]; then export ARCH=aarch64; fi`: a test of strings
  (a file test only of an absolute path), whichever branch it takes.

Downloads, extractions and the files they pass through the folder are read
in `dockfix.downloads`. A word qualifies only when the shell cannot match
it against the folder's files (no glob, no unquoted variable of unknown
value) and it names no relative path.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from dockfix.shell import raw_lexemes
from dockfix.words import is_unknown, unknown

# Plain text, or quotes around text with nothing the shell expands.
FIXED = re.compile(r"[A-Za-z0-9_.,:=@%+/#-]+|'[^'\n]*'|" + r'"[^"$`\\\n]*"')
# Double quotes around text and plain variables: expanded, but neither split
# nor matched against files.
_QUOTED = re.compile(r'"(?:[^"$`\\\n]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})*"')
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)
# Plain text and unquoted variables (`v${VERSION}`).
_PLAIN_WITH_VARIABLES = re.compile(
    r"(?:[A-Za-z0-9_.,:=@%+/-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+"
)
# BuildKit's platform arguments: `linux/amd64`, `arm64`, `v7`, never a glob.
_PLATFORM_ARGS = frozenset(
    f"{side}{part}"
    for side in ("TARGET", "BUILD")
    for part in ("PLATFORM", "OS", "ARCH", "VARIANT")
)
_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.,:=@%+/-]*")
OPTION = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9-]*")
ABSOLUTE = re.compile(r"/[^\s$`'\"<>()&|;~\\*?\[]*")

Lookup = Callable[[str], str | None]


def stable_word(word: str, lookup: Lookup) -> bool:
    """Whether `word` expands the same in any folder: fixed text, double
    quotes around text and variables, or plain text with unquoted variables
    (`v${VERSION}`) whose values the file gives (or platform arguments),
    with no blank or glob in them."""
    if FIXED.fullmatch(word) or _QUOTED.fullmatch(word):
        return True
    if not _PLAIN_WITH_VARIABLES.fullmatch(word):
        return False
    for found in _VARIABLE.finditer(word):
        name = found["braced"] or found["plain"]
        if name in _PLATFORM_ARGS:
            continue
        value = _known_value(name, lookup)
        if value is None or not _SAFE_VALUE.fullmatch(value):
            return False
    return True


def variable_value(word: str, lookup: Lookup) -> str | None:
    """The value of a word that is one variable (`$URL`, `${URL}`, `"${URL}"`):
    the file's, or a build argument's default; None where it is not known."""
    found = _VARIABLE.fullmatch(word[1:-1] if word[:1] == word[-1:] == '"' else word)
    return None if found is None else _known_value(found["braced"] or found["plain"], lookup)


def _known_value(name: str, lookup: Lookup) -> str | None:
    """A variable's value as the file gives it; for a build argument, its
    default, which stands for what `--build-arg` may pass (a version, an
    architecture, a URL); None where neither is known."""
    value = lookup(name)
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
            if n + 1 >= len(args) or not ABSOLUTE.fullmatch(args[n + 1]):
                return False
            if above(args[n + 1], made):
                return False
            continue
        if not stable_word(arg, lookup):
            return False
    return True


# `NAME=$(…)` or `NAME="$(…)"`, with no nested parenthesis or backtick.
_MKTEMP = re.compile(r'(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<q>"?)\$\(mktemp -d\)(?P=q)')
_COMPUTED_WORD = re.compile(r'"\$\((?P<inner>[^()`]*)\)"')
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


def temporary_folder(word: str) -> str | None:
    """The name `word` assigns a fresh temporary folder to (`GNUPGHOME="$(mktemp
    -d)"`): mktemp makes it under `$TMPDIR` (or `/tmp`), whatever folder it
    runs in; None for any other word."""
    found = _MKTEMP.fullmatch(word)
    return None if found is None else found["name"]


def computed_word(word: str, lookup: Lookup) -> bool:
    """Whether `word` is, in double quotes, the output of a pipeline that
    reads no file (`"$(uname -m)"`, a `case` statement's word)."""
    found = _COMPUTED_WORD.fullmatch(word)
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
    `apk --print-arch`, `dpkg-architecture --query VAR`, `cut`, `tr`, `head`,
    `tail` and `sed` with `s` commands only."""
    name, args = words[0], words[1:]
    if name in ("echo", "printf"):
        return all(stable_word(a, lookup) for a in args)
    if name in ("uname", "nproc", "arch"):
        return all(OPTION.fullmatch(a) for a in args)
    if name in _QUERIES:
        return tuple(args) in _QUERIES[name]
    if name == "dpkg-architecture":
        # `-qVAR`, `-q VAR`, `--query VAR`, `--query=VAR`: one variable, no file.
        return bool(re.fullmatch(r"(?:-q ?|--query[ =])[A-Z_]+", " ".join(args)))
    if name == "tr":
        return all(FIXED.fullmatch(a) for a in args)
    if name == "cut":
        return _options_only(args, _CUT_VALUED)
    if name in ("head", "tail"):
        return _options_only(args, _HEAD_VALUED)
    if name == "sed":
        return _sed_substitutions(args)
    return False


def _options_only(args: list[str], valued: frozenset[str]) -> bool:
    """Whether `args` are options only (no operand, which would be a file):
    one of `valued` takes the next word as its value unless written on it
    (`-d.`, `-d '.'`, `-f2`, `-n 1`)."""
    n = 0
    while n < len(args):
        arg = args[n]
        if arg in valued:
            if n + 1 >= len(args) or not FIXED.fullmatch(args[n + 1]):
                return False
            n += 2
            continue
        if arg[:2] in valued and FIXED.fullmatch(arg[2:]):
            n += 1
            continue
        if not (OPTION.fullmatch(arg) or re.fullmatch(r"--[a-z-]+=" + FIXED.pattern, arg)):
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


def above(path: str, made: str) -> bool:
    """Whether the absolute `path` is `made` or a folder above it (which a
    WORKDIR to `made` makes first)."""
    path = posixpath.normpath(path)
    return made == path or made.startswith(path.rstrip("/") + "/")
