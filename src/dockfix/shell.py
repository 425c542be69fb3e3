"""Just enough POSIX shell to find the simple commands in a RUN line.

Fixes that rewrite shell (apt-hygiene, venv-activate, uv-flags) need to know
where each command and its words are, outside quotes. This splitter knows
quotes, backslash escapes, `$(...)`, `${...}` and backquotes, the control
operators, comments and reserved words. Anything it does not understand
(a here-document, unbalanced quotes) makes it return None, and the fix
leaves the instruction alone.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

OPERATORS = ("&&", "||", ";;", ";", "|", "&", "(", ")", "\n")
_OPERATOR_STARTS = frozenset(o[0] for o in OPERATORS)
RESERVED = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "do",
        "done",
        "while",
        "until",
        "for",
        "case",
        "esac",
        "in",
        "!",
        "{",
        "}",
    }
)
_BLANK = " \t\r\f\v"


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word of a command, where it stands in the script, and its value."""

    text: str  # as written, quotes and escapes kept
    start: int
    end: int
    value: str  # with simple quoting removed (good enough to compare names)


def unquote(text: str) -> str:
    """A word's value as the shell reads it, for names and plain words:
    quotes and escapes removed (no expansion)."""
    if "'" not in text and '"' not in text and "\\" not in text:
        return text
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and i + 1 < len(text):
                # In double quotes a backslash escapes only these; before
                # anything else it is itself (`"a\tb"` is a, \, t, b).
                i += 1
                if text[i] not in '$`"\\\n':
                    out.append("\\")
                out.append(text[i])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        elif ch == "\\" and i + 1 < len(text):
            i += 1
            out.append(text[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Command:
    """A simple command: its words (leading `VAR=value` assignments and
    reserved words excluded), and the operator that precedes it."""

    words: tuple[Word, ...]
    before: str  # "" at the start, else "&&", "||", ";", "|", "&", "(", "\n"
    after: str  # the operator that follows it, "" at the end

    @property
    def name(self) -> str:
        return self.words[0].value if self.words else ""

    @property
    def args(self) -> list[str]:
        return [w.value for w in self.words[1:]]

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[-1].end


class _Unsupported(Exception):
    pass


def _skip(text: str, i: int) -> int | None:
    """If an escape, a quotation or a `$(...)`/`${...}` starts at i, where it ends."""
    ch = text[i]
    if ch == "\\":
        return i + 2
    if ch in "'`":
        j = text.find(ch, i + 1)
        if j < 0:
            raise _Unsupported
        return j + 1
    if ch == '"':
        return _double_quoted_end(text, i + 1)
    if ch == "$" and text[i + 1 : i + 2] in ("(", "{"):
        opening = text[i + 1]
        return _balanced_end(text, i + 2, opening, ")" if opening == "(" else "}")
    return None


# Runs of characters that need no look (speed only: each loop below steps
# over such characters one at a time otherwise).
_PLAIN_IN_WORD = re.compile(r"[^\\'`\"$<&|;()\n" + _BLANK + "]+")
_PLAIN_IN_DOUBLE_QUOTES = re.compile(r'[^\\"`$]+')
_PLAIN_IN_BALANCED = re.compile(r"[^\\'`\"$(){}]+")


def _word_end(text: str, i: int) -> int:
    """The end of the word starting at i."""
    n = len(text)
    while i < n:
        plain = _PLAIN_IN_WORD.match(text, i)
        if plain is not None:
            i = plain.end()
            continue
        skipped = _skip(text, i)
        if skipped is not None:
            i = skipped
            continue
        if text.startswith("<<", i):
            raise _Unsupported  # here-documents: leave alone
        if text[i] in "&|" and i > 0 and text[i - 1] in "<>":
            i += 1  # `2>&1`, `<&3`, `>|`: a redirection, not `&` or `|`
            continue
        if text[i] in _BLANK or text[i] in "&|;()\n":
            return i
        i += 1
    return i


def _double_quoted_end(text: str, i: int) -> int:
    n = len(text)
    while i < n:
        plain = _PLAIN_IN_DOUBLE_QUOTES.match(text, i)
        if plain is not None:
            i = plain.end()
            continue
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == '"':
            return i + 1
        elif ch == "`" or (ch == "$" and text[i + 1 : i + 2] in ("(", "{")):
            i = _skip(text, i) or i + 1
        else:
            i += 1
    raise _Unsupported


def _balanced_end(text: str, i: int, opening: str, closing: str) -> int:
    depth = 1
    n = len(text)
    while i < n:
        plain = _PLAIN_IN_BALANCED.match(text, i)
        if plain is not None:
            i = plain.end()
            continue
        skipped = _skip(text, i)
        if skipped is not None:
            i = skipped
            continue
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise _Unsupported


@lru_cache(maxsize=4096)
def commands(script: str) -> tuple[Command, ...] | None:
    """The simple commands of `script`, or None if it uses what this module
    does not read (here-documents, unbalanced quotes). Cached: several fixes
    read the same RUN lines."""
    try:
        return tuple(_commands(script))
    except _Unsupported:
        return None


def _lex(script: str) -> Iterator[tuple[str | None, int, int]]:
    """The control operators and words of `script`, in order, without blanks and
    comments: (operator, start, end) for an operator, (None, start, end) for a
    word. Raises _Unsupported where a word cannot be read."""
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if ch in _BLANK:
            i += 1
            continue
        if ch == "\\" and script.startswith("\n", i + 1):
            i += 2  # a line continuation (in a heredoc's script): blank
            continue
        if ch == "#" and (i == 0 or script[i - 1] in _BLANK + "\n;&|()"):
            j = script.find("\n", i)
            i = n if j < 0 else j
            continue
        op = (
            next((o for o in OPERATORS if script.startswith(o, i)), None)
            if ch in _OPERATOR_STARTS
            else None
        )
        if op is not None:
            yield op, i, i + len(op)
            i += len(op)
            continue
        end = _word_end(script, i)
        if end == i:
            raise _Unsupported
        yield None, i, end
        i = end


def _commands(script: str) -> list[Command]:
    result: list[Command] = []
    words: list[Word] = []
    before = ""

    def flush(after: str) -> None:
        nonlocal words, before
        meaningful = list(words)
        # Drop leading assignments and reserved words: they are not the command.
        while meaningful and (
            meaningful[0].value in RESERVED or _is_assignment(meaningful[0].text)
        ):
            meaningful.pop(0)
        if meaningful:
            result.append(Command(tuple(meaningful), before, after))
        words = []
        before = after

    for op, start, end, syntax in case_marked(script, _lex(script)):
        if op is not None or syntax:
            flush(op or script[start:end])
            continue
        text = script[start:end]
        words.append(Word(text, start, end, unquote(text)))
        # A reserved word at the start of a command also starts a new one.
        if len(words) == 1 and text in RESERVED:
            flush(text)
    flush("")
    return result


def _is_assignment(text: str) -> bool:
    name, eq, _ = text.partition("=")
    return bool(eq) and name.replace("_", "a").isalnum() and not name[:1].isdigit()


def has_comment(script: str) -> bool:
    """Whether `script` holds a shell comment (text appended after it would be lost)."""
    cmds = commands(script)
    if cmds is None:
        return True
    last = cmds[-1].end if cmds else 0
    return "#" in script[last:]


@lru_cache(maxsize=4096)
def lexemes(script: str) -> tuple[tuple[str, bool], ...] | None:
    """`tokens` with their kind: (operator, True) for a control operator,
    (word, False) for a word, quotes removed (so `\\;` and `';'`, which
    `find -exec` takes, are the word `;`, not the operator); None where
    `commands` gives None."""
    try:
        return tuple(
            (op, True) if op is not None else (unquote(script[start:end]), False)
            for op, start, end in _lex(script)
        )
    except _Unsupported:
        return None


def raw_lexemes(script: str) -> tuple[tuple[str, bool], ...] | None:
    """`lexemes` as written: each word with its quotes and escapes."""
    try:
        return tuple(
            (op, True) if op is not None else (script[start:end], False)
            for op, start, end in _lex(script)
        )
    except _Unsupported:
        return None


def marked_lexemes(script: str) -> tuple[tuple[str, bool, bool], ...] | None:
    """`raw_lexemes`, each with whether it is a `case` statement's own syntax
    (see `case_marked`): (text, is operator, is case syntax)."""
    try:
        return tuple(
            (op or script[start:end], op is not None, syntax)
            for op, start, end, syntax in case_marked(script, _lex(script))
        )
    except _Unsupported:
        return None


def spans(script: str) -> tuple[tuple[str | None, int, int], ...] | None:
    """The control operators and words of `script` where they stand:
    (operator, start, end) or (None, start, end) for a word, without blanks
    and comments; None where `commands` gives None."""
    try:
        return tuple(_lex(script))
    except _Unsupported:
        return None


@lru_cache(maxsize=4096)
def tokens(script: str) -> tuple[str, ...] | None:
    """The words (quotes removed) and control operators of `script`, in order,
    without comments and blanks; None where `commands` gives None. Cached, as
    `commands` is (read off `lexemes`, which lexes each script once)."""
    found = lexemes(script)
    return None if found is None else tuple(text for text, _ in found)


Unit = Callable[[tuple[str, ...]], bool]


def edited_only(old: str, new: str, insert: Unit, delete: Unit | None = None) -> str | None:
    """Whether `new` is the script `old` with only some runs of words inserted
    (each a sequence of pieces `insert` accepts) and some removed (each a
    sequence of pieces `delete` accepts): None if so, else what else changed.

    Fixes that add a flag or append a command state their post-condition with
    this (see `dockfix.semantics.keeps_commands`)."""
    a, b = tokens(old), tokens(new)
    if a is None or b is None:
        return "a RUN command this check cannot read changed"
    import difflib  # only when a post-condition is checked

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "insert" and _slid_pieces(b, j1, j2, insert):
            continue
        if op == "delete" and delete is not None and _slid_pieces(a, i1, i2, delete):
            continue
        if (  # words removed and others put in their place: both allowed
            op == "replace"
            and delete is not None
            and _pieces(a[i1:i2], delete)
            and _pieces(b[j1:j2], insert)
        ):
            continue
        removed, added = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        return f"a RUN command changed beyond what the fix may do ({removed!r} -> {added!r})"
    return None


def _slid_pieces(words: tuple[str, ...], start: int, end: int, unit: Unit) -> bool:
    """`_pieces` for the run words[start:end] or any run it can slide to: an
    insertion or deletion next to equal words can be aligned several ways
    (`a x a` less `x a` is also `a x a` less `a x`)."""
    first, last = start, end
    while first > 0 and words[first - 1] == words[last - 1]:
        first, last = first - 1, last - 1
    while True:
        if _pieces(words[first:last], unit):
            return True
        if last >= len(words) or words[first] != words[last]:
            return False
        first, last = first + 1, last + 1


def _pieces(run: tuple[str, ...], unit: Unit) -> bool:
    """Whether `run` splits into consecutive pieces that `unit` accepts."""
    ok = [True] + [False] * len(run)
    for end in range(1, len(run) + 1):
        ok[end] = any(ok[start] and unit(run[start:end]) for start in range(end))
    return ok[-1]


_OPENS = frozenset({"if", "for", "while", "until", "{"})
_CLOSES = frozenset({"fi", "done", "}"})


def case_marked(
    script: str, tokens: Iterable[tuple[str | None, int, int]]
) -> Iterator[tuple[str | None, int, int, bool]]:
    """`tokens` (from `_lex`) each with whether it is a `case` statement's own
    syntax rather than part of a command: `case`, its word and `in`, each
    pattern with its `(`, `|` and `)`, the `;;` ending a branch, `esac`. A
    pattern's `)` closes no subshell, and `x86_64)` is no command."""
    modes: list[str] = []  # per open case: "head" (to `in`), "pattern" or "body"
    at_start = True
    for op, start, stop in tokens:
        word = None if op is not None else script[start:stop]
        mode = modes[-1] if modes else ""
        syntax = True
        if mode == "head":
            if word == "in":
                modes[-1] = "pattern"
        elif mode == "pattern":
            if word == "esac":
                modes.pop()
            elif op == ")":
                modes[-1] = "body"
        elif mode == "body" and op == ";;":
            modes[-1] = "pattern"
        elif mode == "body" and at_start and word == "esac":
            modes.pop()
        elif at_start and word == "case":
            modes.append("head")
        else:
            syntax = False
        yield op, start, stop, syntax
        # A command starts after an operator, a pattern's `)`, or a reserved
        # word that itself stood where a command starts (`if`, `then`, `!`).
        at_start = (
            op is not None
            or (at_start and word in RESERVED and not syntax)
            or (syntax and op == ")")
        )
        if syntax and word == "esac":
            at_start = False


def _nested(script: str) -> Iterator[tuple[str | None, int, int, int, int]]:
    """The tokens of `script` (see `_lex`) with the depth of the subshells,
    groups, `if`s, loops and `case`s around each (an opening or closing word
    counts as outside), and the depth after it; `case` syntax other than
    `case`/`esac` is left out."""
    depth, at_start = 0, True
    for op, start, stop, syntax in case_marked(script, _lex(script)):
        word = script[start:stop]
        if syntax:
            if op is None and word == "esac":
                depth -= 1
                yield None, start, stop, depth, depth
            elif op is None and word == "case":
                yield None, start, stop, depth, depth + 1
                depth += 1
            at_start = op is not None
            continue
        if op is not None:
            before = depth - 1 if op == ")" else depth
            depth = before + 1 if op == "(" else before
            yield op, start, stop, before, depth
            at_start = True
            continue
        if at_start and word in _CLOSES:
            depth -= 1
        before = depth
        if at_start and word in _OPENS:
            depth += 1
        yield None, start, stop, before, depth
        at_start = at_start and word in RESERVED


def top_level(text: str, position: int) -> bool:
    """Whether `position` of `text` stands outside every subshell, group,
    `if`, loop and `case` (the structures a split there would cut in two)."""
    try:
        last = deque(_nested(text[:position]), maxlen=1)  # the depth after the last token
    except _Unsupported:
        return False
    return not last or last[0][4] == 0


def top_level_operators(script: str) -> list[str] | None:
    """The control operators of `script` outside every subshell, group, `if`,
    loop and `case`, in order; None where `commands` gives None."""
    try:
        return [op for op, _, _, depth, _ in _nested(script) if op is not None and depth == 0]
    except _Unsupported:
        return None
