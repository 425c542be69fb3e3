"""The lossless Dockerfile tree.

Every node is an immutable value that owns its bytes (`raw`), so `code` is a
plain concatenation and an edit that replaces one node cannot disturb another.
Line numbers are not stored on nodes: `Dockerfile.located()` derives them.

    Dockerfile
      bom, items: Directive | Comment | Blank | Instruction
    Instruction
      parts: Line (a physical line of the instruction) | Comment | Blank
      heredocs: Heredoc (body and terminator line)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from dockfix.gocompat import HeredocSpec
from dockfix.reading import LogicalLine, Reading, join_lines, read_instruction

_ENDING = re.compile(r"[\r\n]*\Z")
_DIRECTIVE = re.compile(
    r"^\s*#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$"
)


def _split_ending(raw: str) -> tuple[str, str]:
    m = _ENDING.search(raw)
    assert m is not None
    return raw[: m.start()], raw[m.start() :]


@dataclass(frozen=True, slots=True)
class Directive:
    """A parser directive such as `# escape=`` ` or `# syntax=docker/dockerfile:1`."""

    raw: str

    @property
    def code(self) -> str:
        return self.raw

    @property
    def name(self) -> str:
        m = _DIRECTIVE.match(_split_ending(self.raw)[0])
        assert m is not None
        return m.group(1).lower()

    @property
    def value(self) -> str:
        m = _DIRECTIVE.match(_split_ending(self.raw)[0])
        assert m is not None
        return m.group(2)


@dataclass(frozen=True, slots=True)
class Comment:
    """A full-line comment (possibly indented). Dockerfiles have no end-of-line comments."""

    raw: str

    @property
    def code(self) -> str:
        return self.raw

    @property
    def text(self) -> str:
        """The comment without `#` and surrounding white space."""
        return _split_ending(self.raw)[0].strip().removeprefix("#").strip()


@dataclass(frozen=True, slots=True)
class Blank:
    """A line holding only white space."""

    raw: str

    @property
    def code(self) -> str:
        return self.raw


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line of an instruction, with its continuation and ending."""

    raw: str
    continued: bool

    @property
    def code(self) -> str:
        return self.raw

    @property
    def content(self) -> str:
        """The line without its ending (CR/LF)."""
        return _split_ending(self.raw)[0]

    @property
    def ending(self) -> str:
        return _split_ending(self.raw)[1]

    @property
    def continuation(self) -> str:
        """The continuation escape and any spaces or tabs after it ("" if none)."""
        if not self.continued:
            return ""
        content = self.content
        return content[len(content.rstrip(" \t")) - 1 :]

    @property
    def body(self) -> str:
        """The line without its continuation and ending."""
        content = self.content
        return content[: len(content) - len(self.continuation)]


@dataclass(frozen=True, slots=True)
class Heredoc:
    """A heredoc body and its terminator line, read after the instruction."""

    spec: HeredocSpec
    body: str
    end: str

    @property
    def code(self) -> str:
        return self.body + self.end

    @property
    def content(self) -> str:
        """The text BuildKit hands to the command (`<<-` strips leading tabs)."""
        if self.spec.chomp:
            return re.sub(r"(?m)^\t+", "", self.body)
        return self.body


@dataclass(frozen=True, eq=True)
class Instruction:
    """One instruction: its physical lines (with any comment or blank lines
    inside a continuation) and its heredocs."""

    parts: tuple[Line | Comment | Blank, ...]
    heredocs: tuple[Heredoc, ...] = ()
    escape: str = field(default="\\", compare=False)

    @cached_property
    def code(self) -> str:
        return "".join(p.raw for p in self.parts) + "".join(h.code for h in self.heredocs)

    @cached_property
    def logical(self) -> LogicalLine:
        """The logical line BuildKit reads, with a map back to this code."""
        pieces = []
        offset = 0
        first = True
        for part in self.parts:
            if isinstance(part, Line):
                pieces.append((offset, part.raw, first))
                first = False
            offset += len(part.raw)
        return join_lines(pieces, self.escape)

    @cached_property
    def reading(self) -> Reading:
        """How BuildKit reads this instruction (keyword, flags, arguments)."""
        return read_instruction(self.logical.text, self.escape)

    @property
    def keyword(self) -> str:
        """The keyword in lower case, as BuildKit dispatches on it."""
        return self.reading.keyword

    @property
    def keyword_as_written(self) -> str:
        """The keyword with the author's casing (`RUN`, `run`, `Run`)."""
        text = self.logical.text.lstrip()
        return text.split(None, 1)[0] if text else ""

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(p for p in self.parts if isinstance(p, Line))

    def dump(self) -> str:
        return "(" + self.reading.dump() + ")"

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a logical span of `reading` to offsets in `code`."""
        if end <= start:
            pos = self.logical.raw_offset(start)
            return pos, pos
        return self.logical.raw_offset(start), self.logical.raw_offset(end - 1) + 1

    def edit(self, start: int, end: int, text: str) -> Instruction:
        """Replace the logical span [start, end) with `text`, keeping every other byte.

        The result is parsed again, so it is a valid instruction or an error.
        """
        a, b = self.raw_span(start, end)
        return self.with_code(self.code[:a] + text + self.code[b:])

    def edit_many(self, edits: list[tuple[int, int, str]]) -> Instruction:
        """Apply several non-overlapping logical-span edits at once."""
        code = self.code
        spans = sorted(((*self.raw_span(a, b), text) for a, b, text in edits), reverse=True)
        limit = len(code)
        for a, b, text in spans:
            if b > limit:
                raise ValueError("overlapping edits")
            code = code[:a] + text + code[b:]
            limit = a
        return self.with_code(code)

    # --- convenience edits on flags and ENV/LABEL pairs (each keeps the other bytes)

    def set_flag(self, name: str, value: str | None) -> Instruction:
        """Set `--name=value` (`--name` when value is None): replace the flag
        where it is, or add it after the keyword and the other flags."""
        text = f"--{name}" if value is None else f"--{name}={value}"
        flag = self.reading.flag(name)
        if flag is not None:
            return self.edit(flag.span.start, flag.span.end, text)
        flags = self.reading.flags
        at = (
            flags[-1].span.end
            if flags
            else len(self.logical.text)
            - len(self.logical.text.lstrip())
            + len(self.keyword_as_written)
        )
        return self.edit(at, at, " " + text)

    def remove_flag(self, name: str) -> Instruction:
        """Remove the flag `--name` and the white space before it."""
        flag = self.reading.flag(name)
        if flag is None:
            return self
        start = flag.span.start
        text = self.logical.text
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        return self.edit(start, flag.span.end, "")

    def set_pair(self, key: str, value: str) -> Instruction:
        """ENV/LABEL: set `key=value` (value as written, quotes included),
        replacing the pair where it is or appending it."""
        for pair in self.reading.pairs:
            if pair.key == key:
                return self.edit(pair.span.start, pair.span.end, f"{key}={value}")
        end = self.reading.rest_span.end
        return self.edit(end, end, f" {key}={value}")

    def with_code(self, code: str) -> Instruction:
        from dockfix.parser import parse_instruction

        return parse_instruction(code, self.escape)


Node = Directive | Comment | Blank | Instruction


@dataclass(frozen=True, slots=True)
class Located:
    """An instruction with the 1-based lines BuildKit reports for it."""

    instruction: Instruction
    index: int  # position in Dockerfile.items
    start_line: int
    end_line: int


@dataclass(frozen=True)
class Dockerfile:
    """A parsed Dockerfile. `code` gives back the input byte for byte."""

    items: tuple[Node, ...]
    bom: str = ""
    escape: str = "\\"

    @cached_property
    def code(self) -> str:
        return self.bom + "".join(item.code for item in self.items)

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        return tuple(i for i in self.items if isinstance(i, Instruction))

    @property
    def directives(self) -> dict[str, str]:
        return {d.name: d.value for d in self.items if isinstance(d, Directive)}

    @cached_property
    def newline(self) -> str:
        """The line ending new lines should use: that of the first line."""
        first = self.code.find("\n")
        return "\r\n" if first > 0 and self.code[first - 1] == "\r" else "\n"

    def dump(self) -> str:
        """BuildKit's dump of the parsed instructions, one per line."""
        return "".join(i.dump() + "\n" for i in self.instructions)

    def located(self) -> Iterator[Located]:
        """Each instruction with its start and end line, as BuildKit counts them."""
        line = 1
        for index, item in enumerate(self.items):
            code = item.code
            newlines = code.count("\n")
            if isinstance(item, Instruction):
                end = line + newlines - (1 if code.endswith("\n") else 0)
                yield Located(item, index, line, max(end, line))
            line += newlines

    # --- editing: each returns a new Dockerfile; untouched nodes are shared.

    def _index(self, node: Node) -> int:
        for i, item in enumerate(self.items):
            if item is node:
                return i
        raise ValueError("node is not in this Dockerfile")

    def replace(self, old: Node, *new: Node) -> Dockerfile:
        """Replace `old` (by identity) with zero or more nodes."""
        i = self._index(old)
        return replace(self, items=self.items[:i] + tuple(new) + self.items[i + 1 :])

    def insert_before(self, anchor: Node, *new: Node) -> Dockerfile:
        i = self._index(anchor)
        return replace(self, items=self.items[:i] + tuple(new) + self.items[i:])

    def insert_after(self, anchor: Node, *new: Node) -> Dockerfile:
        i = self._index(anchor) + 1
        if i == len(self.items) and not anchor.code.endswith("\n"):
            # The anchor was the last line and had no newline: give it one.
            fixed = with_newline(anchor, self.newline)
            return replace(self, items=(*self.items[: i - 1], fixed, *new))
        return replace(self, items=self.items[:i] + tuple(new) + self.items[i:])

    def remove(self, node: Node) -> Dockerfile:
        return self.replace(node)


def with_newline(node: Node, newline: str) -> Node:
    """`node` with a line ending added to its last line."""
    if isinstance(node, Instruction):
        return node.with_code(node.code + newline)
    return type(node)(node.raw + newline)
