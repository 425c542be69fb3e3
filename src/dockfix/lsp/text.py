"""Text as LSP sees it: lines end at `\\r\\n`, `\\r` or `\\n` (and nowhere
else, unlike `str.splitlines`), and a column counts code units of the
negotiated encoding (UTF-16 unless client and server agreed otherwise), so a
character beyond the Basic Multilingual Plane such as an emoji is two columns.

Offsets are indices into the Python string (code points), as the tree's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher

from lsprotocol import types

_BREAK = re.compile(r"\r\n|\r|\n")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split where LSP splits them."""
    return _LINES.findall(text)


def _units(text: str, encoding: str) -> int:
    if text.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class LineIndex:
    """Converts offsets in `text` to LSP positions and back."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def line_end(self, line: int) -> int:
        """The offset where `line`'s content ends (before its line break)."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        while end > self.starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self.line_end(line))  # never inside a line break
        return types.Position(line, _units(self.text[start:offset], self.encoding))

    def offset(self, position: types.Position) -> int:
        """The offset of `position`; past a line's end means its end, past the
        last line means the end of the text (as LSP asks)."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.line_end(position.line)
        content = self.text[start:end]
        if content.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            return start + min(position.character, len(content))
        units = 0
        for i, char in enumerate(content):
            if units >= position.character:
                return start + i
            units += _units(char, self.encoding)
        return end

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))


def apply_change(text: str, change: types.TextDocumentContentChangeEvent, encoding: str) -> str:
    """`text` after one change of `textDocument/didChange` (incremental or whole)."""
    if isinstance(change, types.TextDocumentContentChangePartial):
        index = LineIndex(text, encoding)
        a, b = index.offset(change.range.start), index.offset(change.range.end)
        return text[:a] + change.text + text[max(a, b) :]
    return change.text


def line_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """The edits (start, end, replacement; offsets in `old`) that turn `old`
    into `new`, each covering whole changed lines and nothing else."""
    a, b = split_lines(old), split_lines(new)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        (starts[i1], starts[i2], "".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def text_edits(old: str, new: str, index: LineIndex) -> list[types.TextEdit]:
    """`line_edits` as LSP TextEdits on the document `index` describes (`old`)."""
    return [types.TextEdit(index.range(a, b), text) for a, b, text in line_edits(old, new)]
