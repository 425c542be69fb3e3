"""The file's own conventions, so that what a fix writes looks like the rest.

`style_of(tree)` (cached on the tree as `Dockerfile.style`) reads, once per
tree:

- keyword case: the case most of the file's keywords use, counted as
  BuildKit's ConsistentInstructionCasing check counts them (every `FROM` and
  every instruction of a stage, not the `ARG`s before the first `FROM`; a
  mixed-case keyword such as `From` counts for neither side; a tie is upper
  case, as BuildKit decides it), so an inserted keyword never raises that
  check;
- continuation indentation: the most common indent of the continuation lines
  that start a command (after `&&`, `||`, `;` or `|`), else of all
  continuation lines, beyond the indent of their instruction;
- where `&&` goes when a command is continued: at the start of the next line
  (`\\` / `    && cmd`) or at the end of the line (`cmd && \\`);
- whether plain `ENV`/`LABEL` values are written in double quotes (where the
  file does not show, only values that expand a variable are);
- whether instructions are separated by blank lines;
- the argument column, where the file pads its keywords so that arguments
  line up (`USER        app` / `WORKDIR     /app`): new instructions are
  padded alike, and continued ENV/LABEL pairs start in that column;
- the line ending and the escape character.

Where the file shows nothing, the defaults are dockfix's layout: upper case,
four spaces, `&&` at line start, no quotes, no blank lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockfix.tree import Dockerfile, Instruction, Node

DEFAULT_INDENT = "    "
# A value BuildKit reads the same with or without double quotes around it.
_PLAIN = re.compile(r"[A-Za-z0-9_./:@%+,=${}-]+\Z")
_SEPARATORS = ("&&", "||", ";", "|")


@dataclass(frozen=True, slots=True)
class Style:
    """How a file writes what a fix adds: keyword case, indents and continuations."""

    upper: bool = True  # keywords in upper case
    indent: str = DEFAULT_INDENT  # of continuation lines, beyond their instruction's own
    indent_seen: bool = False  # the file has continuation lines
    # Of continued ENV/LABEL pairs and arguments: as the file's continued
    # ENV/LABEL instructions (an indent, or ALIGNED under the first pair),
    # else as most instructions' first continued line (files often indent the
    # commands of nested `if` blocks, or the items of a long quoted list,
    # deeper); None: as `indent`.
    items: str | None = None
    and_first: bool = True  # `&&` starts the continued line (else ends the line before)
    # Plain ENV/LABEL values in double quotes (True), bare (False), or, where
    # the file does not show, bare unless they expand a variable (None).
    quote: bool | None = None
    blank_lines: bool = False  # instructions separated by blank lines
    column: int = 0  # where arguments start when the file aligns them (0: not aligned)
    newline: str = "\n"
    escape: str = "\\"

    def keyword(self, word: str) -> str:
        """`word` in the file's keyword case."""
        return word.upper() if self.upper else word.lower()

    def continuation_indent(self, first: str = "") -> str:
        """The indent of continuation lines under an instruction indented by `first`."""
        return first + self.indent

    def item_indent(self, first: str = "", keyword: str = "") -> str:
        """The indent of continued arguments or ENV/LABEL pairs: the file's,
        but never none (a file whose `&&` lines start at column 0 still
        indents what is not a command, which would read as an instruction);
        in a file that aligns arguments, their column; in a file whose
        continued ENV/LABEL pairs stand under their first one, under the first
        item after `keyword`."""
        if self.column > len(first) + 1 and not first.strip(" "):
            return " " * self.column
        own = self.items or self.indent or DEFAULT_INDENT
        # Under the first pair where the file aligns them so, or where its
        # indent is one space (` && b` under `RUN a \` lines commands up, but
        # pairs one space in would read as a mistake).
        if keyword and (own == ALIGNED or len(own.expandtabs()) < 2):
            return first + " " * (len(keyword) + len(self.gap(keyword, first)))
        if own == ALIGNED:  # no keyword to stand under
            return first + (self.indent or DEFAULT_INDENT)
        return first + own

    def gap(self, keyword: str, indent: str = "") -> str:
        """The space between `keyword` (as written) and its arguments: one,
        or as many as reach the argument column of a file that aligns them."""
        pad = self.column - len(indent) - len(keyword)
        return " " * pad if pad > 1 and not indent.strip(" ") else " "

    @property
    def continuation(self) -> str:
        """The end of a continued line and the indent of the next one."""
        return f" {self.escape}{self.newline}{self.indent}"

    @property
    def and_break(self) -> str:
        """What goes between two commands joined by `&&` on two lines."""
        if self.and_first:
            return f"{self.continuation}&& "
        return f" &&{self.continuation}"

    def and_lines(self, commands: Sequence[str]) -> str:
        """`commands` joined by `&&`, one per line, in the file's layout."""
        return self.and_break.join(commands)

    def value(self, value: str) -> str | None:
        """`value` written as one ENV/LABEL word BuildKit reads back as `value`
        (expansions included), quoted as the file quotes; None when it cannot
        be written plainly (see `dockfix.build.quote_value`)."""
        from dockfix.build import quote_value

        if value and _PLAIN.match(value) and self.quote is not None:
            # Unquoted or in double quotes, BuildKit reads (and expands) it alike.
            return f'"{value}"' if self.quote else value
        return quote_value(value, self.escape)

    def text(self, keyword: str, rest: str, indent: str = "") -> str:
        """One instruction's text, in the file's case, ending in its newline."""
        word = self.keyword(keyword)
        return f"{indent}{word}{self.gap(word, indent)}{rest}{self.newline}"

    def instruction(self, keyword: str, rest: str, indent: str = "") -> Instruction:
        """A new instruction in the file's style (parsed: BuildKit reads it)."""
        from dockfix.parser import parse_instruction

        return parse_instruction(self.text(keyword, rest, indent), self.escape)

    def spaced(self, nodes: Iterable[Node]) -> tuple[Node, ...]:
        """Nodes to insert after an instruction: preceded by a blank line when
        the file separates its instructions with blank lines."""
        from dockfix.tree import Blank

        nodes = tuple(nodes)
        return (Blank(self.newline), *nodes) if self.blank_lines and nodes else nodes


def case_counts(tree: Dockerfile) -> tuple[int, int]:
    """(lower, upper): keywords counted as BuildKit's ConsistentInstructionCasing does."""
    lower = upper = 0
    seen_from = False
    for node in tree.instructions:
        seen_from = seen_from or node.keyword == "from"
        if not seen_from:
            continue  # the global ARGs are not counted
        word = node.keyword_as_written
        if word == word.lower():
            lower += 1
        elif word == word.upper():
            upper += 1
    return lower, upper


def upper_case(lower: int, upper: int) -> bool:
    """BuildKit's majority: lower case only when strictly more keywords are."""
    return not lower > upper


# A continued ENV/LABEL whose pairs stand under its first one.
ALIGNED = "aligned"
# An instruction's keyword and the space after it.
_HEAD = re.compile(r"[A-Za-z]+[ \t]+")


def _indent(text: str) -> str:
    return text[: len(text) - len(text.lstrip(" \t"))]


def _layout(tree: Dockerfile) -> tuple[str | None, str | None, bool]:
    """The continuation indent (None: no continuation lines), that of
    continued pairs and arguments (see `Style.items`), and whether `&&` starts
    continued lines."""
    from dockfix.tree import Instruction

    commands: Counter[str] = Counter()
    others: Counter[str] = Counter()
    # The indent of each instruction's first continued line, one vote per
    # instruction (lines nested in `if` blocks or long quoted lists do not
    # outvote it); ENV and LABEL pairs apart.
    openings: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    first = end = 0
    for node in tree.items:
        if not isinstance(node, Instruction):
            continue
        # Counted once per instruction (instructions outlive the trees a fix makes).
        counted = node.__dict__.get("_style_layout")
        if counted is None:
            counted = node.__dict__["_style_layout"] = _layout_of(node)
        node_commands, node_others, node_first, node_end, opening = counted
        commands.update(node_commands)  # in order: ties go to the first seen, as before
        others.update(node_others)
        first += node_first
        end += node_end
        if opening is not None:
            openings[opening] += 1
            if node.keyword in ("env", "label"):
                pairs[opening] += 1
    counts = commands or others
    indent = counts.most_common(1)[0][0] if counts else None
    items: str | None
    if pairs:
        items = pairs.most_common(1)[0][0]
    else:
        openings.pop(ALIGNED, None)
        items = openings.most_common(1)[0][0] if openings else None
    return indent, items, not end > first


def _layout_of(
    node: Instruction,
) -> tuple[dict[str, int], dict[str, int], int, int, str | None]:
    """One instruction's share of `_layout`'s counts (dicts in first-seen
    order), and the indent of its first continued line (None: none, or a JSON
    array, whose lines are aligned rather than indented)."""
    commands: dict[str, int] = {}
    others: dict[str, int] = {}
    first = end = 0
    opening: str | None = None
    lines = node.lines
    base = _indent(lines[0].content) if lines else ""
    for prev, line in pairwise(lines):
        content = line.content
        stripped = content.strip()
        if not stripped:
            continue
        if base and content.startswith(base):
            content = content[len(base) :]  # relative to the instruction's indent
        before = prev.body.rstrip()
        if stripped.startswith("&&"):
            first += 1
        if before.endswith("&&"):
            end += 1
        into = (
            commands if stripped.startswith(_SEPARATORS) or before.endswith(_SEPARATORS) else others
        )
        key = _indent(content)
        into[key] = into.get(key, 0) + 1
        if opening is None and not node.reading.json:
            opening = key
            if node.keyword in ("env", "label"):
                head = _HEAD.match(lines[0].content[len(base) :])
                if head is not None and len(head.group(0)) == len(key):
                    opening = ALIGNED  # `LABEL a=1 \` / `      b=2`: under the first pair
    return commands, others, first, end, opening


_KEYWORD_GAP = re.compile(r"( *)([A-Za-z]+)( +)[^ \t\\`]")


def _column(tree: Dockerfile) -> int:
    """The argument column of a file that pads keywords to line arguments up:
    three instructions at least, and most of those whose keyword fits before
    it, start their arguments in the same column, past one space after the
    keyword (0: the file does not align them)."""
    columns: Counter[int] = Counter()
    keywords: list[int] = []
    for node in tree.instructions:
        match = _KEYWORD_GAP.match(node.lines[0].content) if node.lines else None
        if match is None:
            continue
        indent, word, gap = match.groups()
        keywords.append(len(indent) + len(word))
        if len(gap) > 1:
            columns[len(indent) + len(word) + len(gap)] += 1
    if not columns:
        return 0
    column, count = columns.most_common(1)[0]
    fits = sum(1 for width in keywords if width + 1 < column)
    return column if count >= 3 and 2 * count > fits else 0


def own_gap(node: Instruction) -> str:
    """The space after `node`'s keyword on its first line, for a rewrite of
    the instruction that keeps the author's layout (one space if none)."""
    match = _KEYWORD_GAP.match(node.lines[0].content) if node.lines else None
    return match.group(3) if match is not None else " "


def renamed_keyword(node: Instruction, keyword: str) -> tuple[int, str]:
    """What replaces the start of `node` when its keyword becomes `keyword`
    (`ADD` → `COPY`): (how many characters, the text). Where the keyword is
    padded to line its arguments up (two spaces or more after it), the
    padding changes with the keyword's length so that they stay in their
    column; else only the keyword changes."""
    old = node.keyword_as_written
    gap = own_gap(node)
    if len(gap) < 2:
        return len(old), keyword
    pad = max(1, len(gap) + len(old) - len(keyword))
    return len(old) + len(gap), keyword + " " * pad


def _quotes(tree: Dockerfile) -> bool | None:
    """Whether the file writes plain ENV/LABEL values in double quotes (None:
    it does not show)."""
    quoted = bare = 0
    for node in tree.instructions:
        if node.keyword not in ("env", "label"):
            continue
        for pair in node.reading.pairs:
            value = pair.value
            if pair.legacy or not value:
                continue
            if len(value) >= 2 and value[0] == value[-1] == '"':
                if _PLAIN.match(value[1:-1]):
                    quoted += 1
            elif _PLAIN.match(value):
                bare += 1
    return None if quoted == bare else quoted > bare


def _blank_lines(tree: Dockerfile) -> bool:
    """Whether most instructions (but FROM, which starts a block of its own)
    are set apart from the one before by a blank line."""
    from dockfix.tree import Blank, Instruction

    spaced = tight = 0
    previous = False
    blank = False
    for node in tree.items:
        if isinstance(node, Blank):
            blank = True
        elif isinstance(node, Instruction):
            if previous and node.keyword != "from":
                if blank:
                    spaced += 1
                else:
                    tight += 1
            previous, blank = True, False
    return spaced > tight


def style_of(tree: Dockerfile) -> Style:
    """The conventions of `tree` (use `tree.style`, which caches this)."""
    indent, items, and_first = _layout(tree)
    return Style(
        upper=upper_case(*case_counts(tree)),
        indent=DEFAULT_INDENT if indent is None else indent,
        indent_seen=indent is not None,
        items=items,
        and_first=and_first,
        quote=_quotes(tree),
        blank_lines=_blank_lines(tree),
        column=_column(tree),
        newline=tree.newline,
        escape=tree.escape,
    )
