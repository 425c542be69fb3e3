"""Building new instructions, in the file's own style.

New nodes are written as text and parsed with the real parser, so whatever a
fix builds is an instruction BuildKit reads, or an error before anything is
written. Pass the tree's `style` (`Dockerfile.style`, see `dockfix.style`) so
that keyword case, continuation indent, `&&` placement, quoting and line
endings follow the file; `Style.instruction(keyword, rest)` builds a
one-line instruction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockfix.parser import parse_instruction
from dockfix.tree import Comment, Instruction

if TYPE_CHECKING:
    from dockfix.style import Style

_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_./:@%+,=-]*\Z")


def referenced_vars(text: str) -> set[str]:
    """Names that `$NAME`, `${NAME}`, `${NAME:-x}`, ... in `text` may read.

    Deliberately generous (quotes and escapes are ignored): a false positive
    only stops a merge, a false negative could change a value.
    """
    return {m.group(1) for m in _VAR.finditer(text)}


def quote_value(value: str, escape: str = "\\") -> str | None:
    """`value` written as one ENV/LABEL word that BuildKit reads back as `value`,
    expansions included; None when that cannot be done plainly.

    A legacy `ENV KEY value` keeps spaces and expands `$VAR`; inside double
    quotes BuildKit does the same, provided the value holds no quote or escape
    character (those would be read differently inside quotes).
    """
    if _PLAIN_VALUE.match(value) and value:
        return value
    if any(c in value for c in "\"'" + escape) or "\n" in value:
        return None
    return f'"{value}"'


def ends_open(node: Instruction) -> bool:
    """Whether `node` ends inside a continuation (a file may end so): a line
    put after it would become part of it."""
    return bool(node.lines) and node.lines[-1].continued and not node.heredocs


def instruction(code: str, escape: str = "\\") -> Instruction:
    return parse_instruction(code, escape)


def continued(
    keyword: str,
    items: Sequence[str | Comment],
    *,
    escape: str = "\\",
    newline: str = "\n",
    indent: str = "",
    style: Style | None = None,
) -> Instruction:
    """`KEYWORD item1 \\` / `    item2` ...: one item per line, continuation
    lines indented under the first item; comments are kept on lines of their own.

    With `style`, the keyword takes the file's case, the continuation lines
    its indent, and `escape`/`newline` are the file's."""
    words = [i for i in items if isinstance(i, str)]
    if not words:
        raise ValueError("an instruction needs at least one argument")
    pad = indent + " " * (len(keyword) + 1)
    if style is not None:
        keyword = style.keyword(keyword)
        pad = style.item_indent(indent, keyword)
        escape, newline = style.escape, style.newline
    lines: list[str] = []
    last_word = max(n for n, i in enumerate(items) if isinstance(i, str))
    for n, item in enumerate(items):
        if isinstance(item, Comment):
            lines.append(pad + item.raw.rstrip("\r\n").strip() + newline)
            continue
        gap = style.gap(keyword, indent) if style is not None else " "
        head = f"{indent}{keyword}{gap}" if not lines else pad
        tail = newline if n == last_word else f" {escape}{newline}"
        lines.append(head + item + tail)
    return parse_instruction("".join(lines), escape)
