"""Parse Dockerfile text into the lossless tree.

The grammar (grammar/dockerfile.lark, compiled into `dockfix._lark_parser` at
build time) describes the lines. Around it sit two small context-sensitive
steps, as the grammar's header explains:

* `_scan_directives` reads the parser directives first (the escape character
  must be known before lexing) and rejects what BuildKit rejects;
* `_HeredocLexer` wraps lark's contextual lexer: after each instruction it looks
  for heredoc words and emits the bodies as HEREDOC_BODY/HEREDOC_END tokens.
"""

from __future__ import annotations

import re
from _thread import _local as _thread_local  # threading.local, without threading
from collections.abc import Iterator
from typing import Any

from dockfix import _lark_parser as lark

if not hasattr(lark, "LINE_PATTERNS"):  # built by an older grammar/build_parser.py
    raise ImportError(
        "dockfix's generated parser is out of date; reinstall dockfix "
        "(`uv sync --reinstall-package dockfix` or `pip install .`)"
    )
from dockfix.errors import ParseError
from dockfix.gocompat import GO_SPACE, HeredocError, HeredocSpec, heredocs_from_line
from dockfix.reading import HEREDOC_KEYWORDS, LineError, join_lines, read_instruction
from dockfix.tree import (
    Blank,
    Comment,
    Directive,
    Dockerfile,
    Heredoc,
    Instruction,
    Line,
    Located,
    Node,
)

# BuildKit's directive regex, applied after trimming leading white space.
# (Go's \s is [\t\n\f\r ].)
_DIRECTIVE = re.compile(
    r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z"
)
_KNOWN_DIRECTIVES = ("syntax", "escape", "check")
_SWAP = str.maketrans({"\\": "`", "`": "\\"})
_LEADING_TABS = re.compile(r"\A\t+")


def _scan_directives(text: str) -> str:
    """Read the parser directives at the top of `text`; return the escape character.

    Directives end at the first line that is not a known `# key=value`.
    A repeated directive or an escape other than ` or \\ is an error.
    """
    return _directives(text)[0]


def _directives(text: str) -> tuple[str, int]:
    """`_scan_directives`, and the offset of the line that ended the directives
    (past the end of `text` when every line was one): nothing after that line
    was looked at."""
    escape = "\\"
    seen: set[str] = set()
    pos = 1 if text.startswith("\ufeff") else 0
    lineno = 0
    while pos <= len(text):
        lineno += 1
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end].rstrip("\r\n").lstrip(GO_SPACE)
        m = _DIRECTIVE.match(line)
        if not m or m.group(1).lower() not in _KNOWN_DIRECTIVES:
            return escape, pos
        key = m.group(1).lower()
        if key in seen:
            raise ParseError(f"only one {key} parser directive can be used", lineno)
        seen.add(key)
        if key == "escape":
            if m.group(2) not in ("`", "\\"):
                raise ParseError(
                    f"invalid escape token '{m.group(2)}' does not match ` or \\", lineno
                )
            escape = m.group(2)
        if nl < 0:
            break
        pos = nl + 1
    return escape, len(text) + 1


# The physical lines an INSTRUCTION or TRIVIA token is made of, tried in the
# order the grammar gives them: a comment or blank line is one whatever it
# ends with, then a line that continues, then any other line. Each pattern
# matches a whole line (up to and including `\n`, or up to the end of the
# file), and every token starts at the start of a line.
_LINE_KINDS = ("BLANK_LINE", "COMMENT_LINE", "LINE_CONT", "LINE")
_PHYSICAL_LINE = re.compile(
    "|".join(f"(?P<{kind}>{lark.LINE_PATTERNS[kind]})" for kind in _LINE_KINDS)
)


def _lines(lexed: str, text: str) -> list[Line | Comment | Blank]:
    """The physical lines of a token: `lexed` is its text as lexed, `text` the
    same text as written (they differ when the escape character is a backtick)."""
    parts: list[Line | Comment | Blank] = []
    pos, end = 0, len(lexed)
    while pos < end:
        m = _PHYSICAL_LINE.match(lexed, pos)
        assert m is not None and m.end() > pos, "a token is made of whole lines"
        raw = text[pos : m.end()]
        kind = m.lastgroup
        if kind == "LINE":
            parts.append(Line(raw, False))
        elif kind == "LINE_CONT":
            parts.append(Line(raw, True))
        elif kind == "COMMENT_LINE":
            parts.append(Comment(raw))
        else:
            parts.append(Blank(raw))
        pos = m.end()
    return parts


class _Build(lark.Transformer):  # type: ignore[misc]
    """Turns the grammar's rules into tree nodes while parsing (no lark Tree)."""

    def __init__(self) -> None:
        super().__init__()
        self.swapped = False
        self.escape = "\\"

    def _text(self, token: Any) -> str:
        value = str(token)
        return value.translate(_SWAP) if self.swapped else value

    def start(self, children: list[Any]) -> Dockerfile:
        bom = ""
        items: list[Any] = []
        for child in children:
            if isinstance(child, Instruction):
                items.append(child)
            elif child.type == "TRIVIA":
                items += _lines(child, self._text(child))
            elif child.type == "BOM":
                bom = str(child)
            else:  # DIRECTIVE_LINE
                items.append(Directive(self._text(child)))
        return Dockerfile(tuple(items), bom, self.escape)

    def instruction(self, children: list[Any]) -> Instruction:
        token = children[0]
        parts = tuple(_lines(token, self._text(token)))
        return Instruction(parts, tuple(children[1:]), self.escape)

    def heredoc(self, children: list[Any]) -> Heredoc:
        end = children[-1]
        body = self._text(children[0]) if len(children) == 2 else ""
        return Heredoc(end.spec, body, self._text(end))


def _unterminated(spec: HeredocSpec) -> str:
    return f"unterminated heredoc: expected a line `{spec.name}` to end it"


class _HeredocLexer:
    """Lark's contextual lexer plus heredoc bodies.

    BuildKit reads heredoc bodies after the instruction's last physical line,
    one heredoc after another, each up to a line equal to its name (after
    stripping leading tabs for `<<-`). The terminator name is known only at run
    time, so this lexer emits those lines itself.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.escape = "\\"
        self.swapped = False

    def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[Any]:
        lexers = self.inner.lexers
        try:
            while True:
                token = lexers[parser_state.position].next_token(lexer_state, parser_state)
                yield token
                if token.type == "INSTRUCTION" and "<<" in token:
                    lines = _lines(token, token)
                    specs = self._heredocs([p for p in lines if isinstance(p, Line)], token.line)
                    if not specs:
                        continue
                    last = lines[-1]
                    if not isinstance(last, Line) or last.continued:
                        # A continuation at the end of the file: no body can follow.
                        raise ParseError(_unterminated(specs[0]), token.line)
                    yield from self._bodies(specs, lexer_state, token.line)
        except EOFError:
            pass

    def _heredocs(self, lines: list[Line], line_number: int) -> list[HeredocSpec]:
        """The heredocs an instruction's lines (as lexed) open, if any."""
        if not any("<<" in p.raw for p in lines):
            return []
        pieces = [(0, p.raw, i == 0) for i, p in enumerate(lines)]
        line = join_lines(pieces, "\\").text  # lexed text always uses `\`
        if self.swapped:
            line = line.translate(_SWAP)
        try:
            reading = read_instruction(line, self.escape)
        except LineError:
            return []  # reported when the instruction is read
        target = reading.child if reading.keyword == "onbuild" else reading
        if target is None or target.keyword not in HEREDOC_KEYWORDS or target.json:
            return []
        try:
            return heredocs_from_line(line)
        except HeredocError as e:
            raise ParseError(str(e), line_number) from None

    def _bodies(self, specs: list[HeredocSpec], lexer_state: Any, line: int) -> Iterator[Any]:
        text = lexer_state.text.text
        end = lexer_state.text.end
        ctr = lexer_state.line_ctr
        for spec in specs:
            name = spec.name.translate(_SWAP) if self.swapped else spec.name
            start = ctr.char_pos
            pos = start
            while True:
                if pos >= end:
                    raise ParseError(_unterminated(spec), line)
                nl = text.find("\n", pos, end)
                line_end = end if nl < 0 else nl + 1
                candidate = text[pos:line_end].rstrip("\r\n")
                if spec.chomp:
                    candidate = _LEADING_TABS.sub("", candidate)
                if candidate == name:
                    break
                pos = line_end
            if pos > start:
                yield self._token("HEREDOC_BODY", text[start:pos], ctr)
            end_token = self._token("HEREDOC_END", text[pos:line_end], ctr, _EndToken)
            end_token.spec = spec
            yield end_token

    @staticmethod
    def _token(kind: str, value: str, ctr: Any, cls: Any = lark.Token) -> Any:
        token = cls(kind, value, ctr.char_pos, ctr.line, ctr.column)
        ctr.feed(value)
        token.end_line, token.end_column, token.end_pos = ctr.line, ctr.column, ctr.char_pos
        return token


class _EndToken(lark.Token):  # type: ignore[misc]
    """A HEREDOC_END token that carries the heredoc it ends."""

    __slots__ = ("spec",)


class _Parser:
    def __init__(self) -> None:
        self.build = _Build()
        self.lark = lark.Lark_StandAlone(transformer=self.build)
        frontend = self.lark.parser
        self.lexer = _HeredocLexer(frontend.lexer)
        frontend.lexer = self.lexer

    def parse(self, text: str, escape: str) -> Dockerfile:
        swapped = escape == "`"
        self.build.swapped = self.lexer.swapped = swapped
        self.build.escape = self.lexer.escape = escape
        try:
            tree: Dockerfile = self.lark.parse(text.translate(_SWAP) if swapped else text)
        except lark.UnexpectedInput as e:
            raise ParseError(f"unexpected input: {e}", e.line, e.column) from None
        return tree


# One parser per thread: a parse sets the escape character on it.
_local = _thread_local()


def _get_parser() -> _Parser:
    parser: _Parser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _Parser()
    return parser


def _check_instructions(tree: Dockerfile) -> None:
    """Read every instruction of `tree` (ParseError where BuildKit rejects one)."""
    for located in tree.located():
        _read(located)


def _check(tree: Dockerfile) -> None:
    """Read every instruction now, so that what BuildKit rejects is an error here."""
    found = False
    for located in tree.located():
        found = True
        _read(located)
    if not found:
        line = tree.code.count("\n") + (0 if tree.code.endswith("\n") else 1)
        raise ParseError(
            "file with no instructions: expected at least one instruction such as FROM",
            max(line, 1),
        )


def _read(located: Located) -> None:
    """Read one instruction; where BuildKit rejects it, a ParseError at its place."""
    instruction = located.instruction
    try:
        instruction.reading  # noqa: B018 - reading validates
    except LineError as e:
        raw = instruction.logical.raw_offset(e.offset)
        before = instruction.code[:raw]
        line = located.start_line + before.count("\n")
        column = raw - (before.rfind("\n") + 1) + 1
        raise ParseError(e.message, line, column) from None


def parse(text: str) -> Dockerfile:
    """Parse a Dockerfile. Raises ParseError for input BuildKit rejects."""
    escape = _scan_directives(text)
    tree = _get_parser().parse(text, escape)
    _check(tree)
    return tree


def parse_edited(before: Dockerfile, after: Dockerfile) -> Dockerfile:
    """`parse(after.code)`, for a tree made from `before` (a tree `parse`
    returned) by replacing a run of its items: the same result, or the same
    ParseError, but only that run is parsed when the rest provably reads as
    it did; else the whole text is parsed. Untouched items are `before`'s own
    nodes (equal to what parsing gives, and already read).

    Why this gives what parsing the whole text gives: past the BOM and the
    directives at the top, the grammar's items (`start: BOM? DIRECTIVE_LINE*
    (TRIVIA | instruction)*`) are lexed from the start of a line, and what an
    item is and where it ends (its continued lines, the comment and blank
    lines among them, its heredoc bodies) depends only on the text from its
    first line on; reading an instruction depends only on its own text and the
    escape character. So when the unchanged items before the run (A) end with
    a newline and hold the line that ends the directives, parsing the whole
    text reads the same directives and A as before; the run (M) gives the items
    M gives when parsed on its own after a comment line (so that no directive
    is read; the comment item is dropped); and when those end with a complete
    item and a newline, the unchanged items after the run (Z) are read as
    before too. Anything else (an edit at the top, a run that ends inside an
    instruction or a heredoc, an error) is settled by parsing the whole text.
    """
    old, new = before.items, after.items
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and new[prefix] is old[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and new[-1 - suffix] is old[-1 - suffix]:
        suffix += 1
    head, run, tail = new[:prefix], new[prefix : len(new) - suffix], new[len(new) - suffix :]
    if (
        not head
        or after.bom != before.bom
        or not head[-1].code.endswith("\n")
        or _continues(head[-1])  # open at the end of the old text: it takes what follows
    ):
        return parse(after.code)
    text = after.code
    escape, directives_end = _directives(text)
    if escape != before.escape or directives_end >= len(after.bom) + sum(
        len(item.code) for item in head
    ):
        return parse(after.code)
    code = "".join(item.code for item in run)
    items: tuple[Node, ...] = ()
    if code:
        try:
            piece = _get_parser().parse("#\n" + code, escape)
            _check_instructions(piece)
        except ParseError:
            return parse(after.code)
        if piece.bom or piece.items[0] != Comment("#\n"):
            return parse(after.code)
        items = piece.items[1:]
        last = items[-1] if items else None
        if tail and (not code.endswith("\n") or _continues(last)):
            return parse(after.code)
    tree = Dockerfile(head + items + tail, after.bom, escape)
    if not any(isinstance(item, Instruction) for item in tree.items):
        return parse(after.code)
    return tree


def _continues(item: Node | None) -> bool:
    """Whether `item` is an instruction that ended with the text (a
    continuation at the end of the file, with no line to end it)."""
    if not isinstance(item, Instruction) or item.heredocs:
        return False
    last = item.parts[-1]
    return not isinstance(last, Line) or last.continued


def parse_instruction(code: str, escape: str = "\\") -> Instruction:
    """Parse the code of one instruction (for instance, one a fix has built)."""
    tree = _get_parser().parse(code, escape)
    if len(tree.items) != 1 or not isinstance(tree.items[0], Instruction) or tree.bom:
        raise ValueError(f"not exactly one instruction: {code!r}")
    _check(tree)
    return tree.items[0]
