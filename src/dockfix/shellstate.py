"""What a shell command leaves behind for the commands after it in the same
shell, and what stops `&&` from tying it to the commands before it.

Fixes that join commands into one shell (merge-runs) or split one shell into
two (cd-workdir) rely on these readings: joining is the same build only when
nothing an earlier command does to the shell is seen by a later one, and
`&&` ties a whole command to those before only when it has no `;`, `||` or
`&` of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dockfix.shell import RESERVED, commands, has_comment, lexemes, top_level_operators

# Commands whose effect lasts in the shell after them.
_STATEFUL = frozenset(
    {
        "cd",
        "pushd",
        "popd",
        "export",
        "set",
        "unset",
        "source",
        ".",
        "umask",
        "ulimit",
        "alias",
        "unalias",
        "trap",
        "read",
        "readonly",
        "declare",
        "typeset",
        "local",
        "let",
        "eval",
        "exec",
        "exit",
        "return",
        "shift",
        "shopt",
        "hash",
        "enable",
        "builtin",
        "command",
        "getopts",
        "mapfile",
        "readarray",
        "function",
        "wait",
        "bg",
        "fg",
        "jobs",
        "disown",
    }
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def carries_state(text: str) -> str | None:
    """What in a shell command would still be in force for a command run after
    it in the same shell (None when nothing is): `cd`, `export`, `set`, lone
    assignments, a `for` loop's variable, functions, background jobs, a
    trailing comment, …"""
    found = lexemes(text)
    if found is None:
        return "a command dockfix cannot read"
    if has_comment(text):
        return "a comment at its end"
    if ("&", True) in found:
        return "a background job"
    if found and found[-1][1] and found[-1][0] in (";", "&&", "||", "|", "\n"):
        return "a trailing operator"
    for i, lexeme in enumerate(found):
        if lexeme == ("(", True) and i + 1 < len(found) and found[i + 1] == (")", True):
            return "a function definition"
    for segment in _segments(found):
        if len(segment) > 1 and segment[0] in ("for", "select"):
            return f"`{segment[0]} {segment[1]}`, whose variable the commands after it would see"
        words = [w for w in segment if w not in RESERVED]
        if words and all(_NAME.match(w) for w in words):
            return f"`{words[0].split('=')[0]}=…`, which the commands after it would see"
        name = next((w for w in words if not _NAME.match(w)), None)
        if name in _STATEFUL:
            return f"`{name}`, whose effect the commands after it would see"
    return None


def own_operator(text: str) -> str | None:
    """An operator that would not let `&&` tie all of `text` to what comes
    before it (`a && b || c` runs `c` when `a` fails); an escaped or quoted
    `\\;` (`find -exec … \\;`) is a word, not one, and the operators inside
    a subshell, group, `if`, loop or `case` are the compound command's own
    (`a && if b; then c; fi` skips the whole `if` when `a` fails)."""
    found = top_level_operators(text)
    if found is None:
        return "a command dockfix cannot read"
    for op in (";", "||", "&", "\n"):
        if op in found:
            return f"its own `{op.strip() or 'newline'}`"
    return None


def _segments(found: Sequence[tuple[str, bool]]) -> Iterator[list[str]]:
    """The words between control operators."""
    segment: list[str] = []
    for token, operator in found:
        if operator:
            if segment:
                yield segment
            segment = []
        else:
            segment.append(token)
    if segment:
        yield segment


def without_final_semicolon(text: str) -> str:
    """`text` less a `;` operator that ends it, and the blanks before that
    (`a;` runs as `a`: the `;` only ends the list); `text` itself otherwise
    (an escaped or quoted `\\;` is a word, as `find -exec` takes it)."""
    cmds = commands(text)
    stripped = text.rstrip()
    if not cmds or cmds[-1].after != ";" or has_comment(text) or not stripped.endswith(";"):
        return text
    if stripped[cmds[-1].end :].strip() != ";":
        return text  # a closing word between (`fi;`, `}`): left as it is
    return stripped[:-1].rstrip()
