"""Editing inside an instruction: every edit writes the new text and parses it
again, so its result is an instruction BuildKit reads, or an error.

The tree (`dockfix.tree`) holds values and knows nothing of the parser; the
parser builds trees. Editing needs both, so it lives here, above them.
"""

from __future__ import annotations

from dataclasses import replace

from dockfix.parser import parse_instruction
from dockfix.tree import Dockerfile, Instruction, Line, Node


def with_code(instruction: Instruction, code: str) -> Instruction:
    """The instruction that `code` is, written with `instruction`'s escape character."""
    return parse_instruction(code, instruction.escape)


def edit(instruction: Instruction, start: int, end: int, text: str) -> Instruction:
    """Replace the logical span [start, end) with `text`, keeping every other byte."""
    a, b = instruction.raw_span(start, end)
    return with_code(instruction, instruction.code[:a] + text + instruction.code[b:])


def edit_many(instruction: Instruction, edits: list[tuple[int, int, str]]) -> Instruction:
    """Apply several non-overlapping logical-span edits at once."""
    return edit_code(instruction, [(*instruction.raw_span(a, b), text) for a, b, text in edits])


def edit_code(instruction: Instruction, edits: list[tuple[int, int, str]]) -> Instruction:
    """Apply several non-overlapping edits at offsets of `instruction.code`
    (a heredoc's body, which the logical line does not hold)."""
    code = instruction.code
    limit = len(code)
    for a, b, text in sorted(edits, reverse=True):
        if b > limit:
            raise ValueError("overlapping edits")
        code = code[:a] + text + code[b:]
        limit = a
    return with_code(instruction, code)


def drops_inner_lines(instruction: Instruction, start: int, end: int) -> bool:
    """Whether replacing the logical span [start, end) would drop comment or
    blank lines that sit inside the instruction's continuation."""
    a, b = instruction.raw_span(start, end)
    offset = 0
    for part in instruction.parts:
        if not isinstance(part, Line) and a <= offset < b:
            return True
        offset += len(part.raw)
    return False


def set_flag(instruction: Instruction, name: str, value: str | None) -> Instruction:
    """Set `--name=value` (`--name` when value is None): replace the flag where
    it is, or add it after the keyword and the other flags."""
    text = f"--{name}" if value is None else f"--{name}={value}"
    reading = instruction.reading
    flag = reading.flag(name)
    if flag is not None:
        return edit(instruction, flag.span.start, flag.span.end, text)
    logical = instruction.logical.text
    at = (
        reading.flags[-1].span.end
        if reading.flags
        else len(logical) - len(logical.lstrip()) + len(instruction.keyword_as_written)
    )
    return edit(instruction, at, at, " " + text)


def remove_flag(instruction: Instruction, name: str) -> Instruction:
    """Remove the flag `--name` and the white space before it."""
    flag = instruction.reading.flag(name)
    if flag is None:
        return instruction
    start = flag.span.start
    text = instruction.logical.text
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return edit(instruction, start, flag.span.end, "")


def set_pair(instruction: Instruction, key: str, value: str) -> Instruction:
    """ENV/LABEL: set `key=value` (value as written, quotes included),
    replacing the pair where it is or appending it."""
    for pair in instruction.reading.pairs:
        if pair.key == key:
            return edit(instruction, pair.span.start, pair.span.end, f"{key}={value}")
    end = instruction.reading.rest_span.end
    return edit(instruction, end, end, f" {key}={value}")


def with_newline(node: Node, newline: str) -> Node:
    """`node` with a line ending added to its last line."""
    if isinstance(node, Instruction):
        return with_code(node, node.code + newline)
    return type(node)(node.raw + newline)


def insert_after(tree: Dockerfile, anchor: Node, *new: Node) -> Dockerfile:
    """`tree` with `new` after `anchor` (by identity); an anchor that ended the
    file without a newline gets one."""
    i = tree.index(anchor) + 1
    if i == len(tree.items) and not anchor.code.endswith("\n"):
        fixed = with_newline(anchor, tree.newline)
        return replace(tree, items=(*tree.items[: i - 1], fixed, *new))
    return replace(tree, items=tree.items[:i] + tuple(new) + tree.items[i:])
