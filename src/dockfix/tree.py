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
from typing import TYPE_CHECKING

from dockfix.gocompat import HeredocSpec
from dockfix.reading import LogicalLine, Reading, join_lines, read_instruction

if TYPE_CHECKING:
    from dockfix.style import Style

_DIRECTIVE = re.compile(
    r"^\s*#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$"
)


def _split_ending(raw: str) -> tuple[str, str]:
    content = raw.rstrip("\r\n")  # the ending: every CR and LF at the end
    return content, raw[len(content) :]


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

    @cached_property
    def lines(self) -> tuple[Line, ...]:
        return tuple(p for p in self.parts if isinstance(p, Line))

    @cached_property
    def script_heredoc(self) -> Heredoc | None:
        """The heredoc of a `RUN <<EOF` whose command is that heredoc alone,
        when BuildKit hands its body to the shell as the script (`sh -c BODY`,
        as for a shell-form RUN): one heredoc, on standard input, its body
        not starting with `#!` (BuildKit runs such a body as a file of its
        own) and not `<<-` with tabs to strip (the script would then differ
        from the body's bytes). None for anything else."""
        reading = self.reading
        if reading.keyword != "run" or reading.json or len(self.heredocs) != 1:
            return None
        heredoc = self.heredocs[0]
        spec = heredoc.spec
        name = re.escape(spec.name)
        opener = rf"<<-?[ \t]*(?:{name}|'{name}'|\"{name}\")"
        if spec.file_descriptor != 0 or not re.fullmatch(opener, reading.rest):
            return None
        body = heredoc.body
        if body.startswith("#!") or heredoc.content != body or "\r" in body:
            return None  # `\r`: CRLF lines, which the shell would read as part of the words
        return heredoc

    @property
    def script_offset(self) -> int:
        """Where the body of `script_heredoc` starts in `code`."""
        return sum(len(p.raw) for p in self.parts)

    def dump(self) -> str:
        return "(" + self.reading.dump() + ")"

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a logical span of `reading` to offsets in `code`."""
        if end <= start:
            pos = self.logical.raw_offset(start)
            return pos, pos
        return self.logical.raw_offset(start), self.logical.raw_offset(end - 1) + 1


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

    @cached_property
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

    @cached_property
    def style(self) -> Style:
        """The file's own conventions (keyword case, continuation layout, ...),
        which what fixes write follows; see `dockfix.style`."""
        from dockfix.style import style_of

        return style_of(self)

    def dump(self) -> str:
        """BuildKit's dump of the parsed instructions, one per line."""
        return "".join(i.dump() + "\n" for i in self.instructions)

    def located(self) -> Iterator[Located]:
        """Each instruction with its start and end line, as BuildKit counts them."""
        return iter(self._located)

    @cached_property
    def _located(self) -> tuple[Located, ...]:
        return tuple(self._locate())

    def _locate(self) -> Iterator[Located]:
        line = 1
        for index, item in enumerate(self.items):
            code = item.code
            newlines = code.count("\n")
            if isinstance(item, Instruction):
                end = line + newlines - (1 if code.endswith("\n") else 0)
                yield Located(item, index, line, max(end, line))
            line += newlines

    # --- editing: each returns a new Dockerfile; untouched nodes are shared.

    def index(self, node: Node) -> int:
        """The position of `node` (by identity) in `items`."""
        i = self._positions.get(id(node))
        if i is None:
            raise ValueError("node is not in this Dockerfile")
        return i

    def comments_above(self, node: Node) -> tuple[Node, ...]:
        """The comment lines directly over `node`, no blank line between: they
        belong to it (what it does, a suppression pragma), so whatever is
        inserted before `node` goes above them."""
        index = start = self.index(node)
        while start > 0 and isinstance(self.items[start - 1], Comment):
            start -= 1
        return self.items[start:index]

    @cached_property
    def _positions(self) -> dict[int, int]:
        """Each item's first position, by identity (items hold their nodes, so
        the ids stay theirs while the tree lives)."""
        positions: dict[int, int] = {}
        for i, item in enumerate(self.items):
            positions.setdefault(id(item), i)
        return positions

    def replace(self, old: Node, *new: Node) -> Dockerfile:
        """Replace `old` (by identity) with zero or more nodes."""
        i = self.index(old)
        return replace(self, items=self.items[:i] + tuple(new) + self.items[i + 1 :])

    def insert_before(self, anchor: Node, *new: Node) -> Dockerfile:
        i = self.index(anchor)
        return replace(self, items=self.items[:i] + tuple(new) + self.items[i:])

    def remove(self, node: Node) -> Dockerfile:
        return self.replace(node)
