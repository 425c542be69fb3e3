"""BuildKit's reading of one instruction: keyword, flags and arguments.

The grammar gives the physical lines of an instruction; this module joins them
into BuildKit's logical line and splits that line exactly as BuildKit's
`parser/line_parsers.go` and `split_command.go` do, so that `Reading.dump()`
matches BuildKit's `Node.Dump()`. Every flag, word and pair keeps its span in
the logical line, which `LogicalLine.raw_offset` maps back to the source, so
fixers can edit one of them and leave the rest of the instruction's bytes alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from dockfix.gocompat import (
    GO_SPACE,
    NotJSONArray,
    NotStringArray,
    go_quote,
    parse_json_array,
)

# BuildKit's reWhitespace / tokenWhitespace.
_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
_SPACES = frozenset(GO_SPACE)

# Which line parser BuildKit dispatches to, by lower-case keyword.
_SHELL_OR_JSON = frozenset({"cmd", "entrypoint", "run", "shell"})
_LIST_OR_JSON = frozenset({"add", "copy", "volume"})
_WORDS = frozenset({"expose", "from"})
_STRING = frozenset({"maintainer", "stopsignal", "user", "workdir"})
_NAME_VALUE = frozenset({"env", "label"})
KNOWN_KEYWORDS = (
    _SHELL_OR_JSON
    | _LIST_OR_JSON
    | _WORDS
    | _STRING
    | _NAME_VALUE
    | {"arg", "healthcheck", "onbuild"}
)
HEREDOC_KEYWORDS = frozenset({"run", "copy", "add"})
# A comment that is an instruction put aside: its keyword in capitals, then words.
_COMMENTED_OUT = re.compile(
    r"\A#\s*(?:{})\s+\S".format("|".join(sorted(k.upper() for k in KNOWN_KEYWORDS)))
)


def commented_out(comment: str) -> bool:
    """Whether a comment line (`# RUN curl …`) is an instruction put aside."""
    return _COMMENTED_OUT.match(comment.strip()) is not None


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of offsets in the logical line."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Flag:
    """A builder flag such as `--mount=type=cache,target=/root/.cache`.

    `text` is BuildKit's reading (quotes and escapes processed); `span` covers
    the flag's bytes in the logical line.
    """

    text: str
    span: Span

    @property
    def name(self) -> str:
        return self.text[2:].partition("=")[0]

    @property
    def value(self) -> str | None:
        _, eq, value = self.text[2:].partition("=")
        return value if eq else None


@dataclass(frozen=True, slots=True)
class Word:
    """A whitespace-separated word; `text` keeps quotes and escapes as written."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Pair:
    """One ENV or LABEL assignment: `key=value`, or legacy `KEY value`.

    `value` is raw, quotes kept, as BuildKit stores it before expansion.
    """

    key: str
    value: str
    legacy: bool
    span: Span


@dataclass(frozen=True, slots=True)
class Reading:
    """How BuildKit reads one instruction."""

    keyword: str  # lower case, as BuildKit dispatches on it
    flags: tuple[Flag, ...]
    args: tuple[str, ...]  # the values BuildKit's dump shows, in order
    json: bool  # JSON (exec) form
    rest: str  # the text after the keyword and flags, trimmed
    rest_span: Span
    words: tuple[Word, ...] = ()  # ARG/EXPOSE/FROM/COPY/ADD/VOLUME words (shell form)
    pairs: tuple[Pair, ...] = ()  # ENV and LABEL
    child: Reading | None = None  # the instruction ONBUILD wraps

    @property
    def known(self) -> bool:
        return self.keyword in KNOWN_KEYWORDS

    def flag(self, name: str) -> Flag | None:
        """The first flag called `name` (without its dashes), if any."""
        return next((f for f in self.flags if f.name == name), None)

    def dump(self) -> str:
        """BuildKit's `Node.Dump()` for this instruction, without the parentheses."""
        parts = [self.keyword]
        if self.flags:
            parts.append("[" + " ".join(go_quote(f.text) for f in self.flags) + "]")
        if self.child is not None:
            parts.append("(" + self.child.dump() + ")")
        parts.extend(go_quote(a) for a in self.args)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class LogicalLine:
    """An instruction's physical lines joined the way BuildKit joins them.

    `segments` holds `(logical_offset, source_offset)` for each joined piece,
    so any logical offset can be mapped back to the instruction's source.
    """

    text: str
    segments: tuple[tuple[int, int], ...]

    def raw_offset(self, offset: int) -> int:
        """The source offset (within the instruction) of logical `offset`."""
        result = 0
        for logical, raw in self.segments:
            if logical > offset:
                break
            result = raw + (offset - logical)
        return result


@lru_cache(maxsize=2)
def continuation_regex(escape: str) -> re.Pattern[str]:
    """BuildKit's lineContinuationRegex for an escape character."""
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*$|^{e}[ \t]*$")


def strip_newline(line: str) -> str:
    """BuildKit's trimNewline: drop every trailing CR and LF."""
    return line.rstrip("\r\n")


def join_lines(pieces: Sequence[tuple[int, str, bool]], escape: str) -> LogicalLine:
    """Join `(source_offset, physical_line, is_first)` pieces of an instruction.

    Only the instruction's own lines are given (not comment or blank lines
    inside a continuation, which BuildKit skips).
    """
    cont = continuation_regex(escape)
    text_parts: list[str] = []
    segments: list[tuple[int, int]] = []
    length = 0
    for offset, raw, first in pieces:
        content = strip_newline(raw)
        if first:
            stripped = content.lstrip(GO_SPACE)
            offset += len(content) - len(stripped)
            content = stripped
        m = cont.search(content)
        if m:
            content = content[: m.start()] + (m.group(1) or "")
        segments.append((length, offset))
        text_parts.append(content)
        length += len(content)
    return LogicalLine("".join(text_parts), tuple(segments))


@lru_cache(maxsize=1024)
def read_instruction(line: str, escape: str) -> Reading:
    """Read a logical line as BuildKit's `newNodeFromLine` does.

    Raises LineError where BuildKit's parser fails (for example `ENV PATH`
    without a value, or a JSON array holding a number). Cached (a `Reading`
    is immutable): the engine re-parses every file it fixes, and most of its
    instructions read as they did before.
    """
    return _read(line, 0, escape)


class LineError(Exception):
    """BuildKit rejects a logical line; `offset` is where, in the logical line."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


_NOT_STRINGS = (
    "when using JSON array syntax, arrays must be comprised of strings only: "
    'expected ["executable", "arg", ...]'
)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) of `text` to drop Go white space at both ends."""
    while start < end and text[start] in _SPACES:
        start += 1
    while end > start and text[end - 1] in _SPACES:
        end -= 1
    return start, end


def _json_or_none(text: str, offset: int) -> list[str] | None:
    """A JSON array of strings, None for shell form; error on `[1]` and the like."""
    try:
        return parse_json_array(text)
    except NotStringArray:
        raise LineError(_NOT_STRINGS, offset) from None
    except NotJSONArray:
        return None


def _read(line: str, base: int, escape: str) -> Reading:
    # splitCommand: trim, split off the keyword, extract the flags.
    start, end = _strip(line, 0, len(line))
    m = _WHITESPACE.search(line, start, end)
    keyword = line[start : m.start() if m else end].lower()
    flags: tuple[Flag, ...] = ()
    rest_start = rest_end = end
    if m:
        flags, rest_start = _extract_flags(line, m.end(), end, base)
        rest_start, rest_end = _strip(line, rest_start, end)
    rest = line[rest_start:rest_end]
    at = base + rest_start

    args: list[str] = []
    json = False
    words: tuple[Word, ...] = ()
    pairs: tuple[Pair, ...] = ()
    child: Reading | None = None
    if keyword in _SHELL_OR_JSON:
        if rest:
            elements = _json_or_none(rest, at)
            json = elements is not None
            args = elements if elements is not None else [rest]
    elif keyword in _LIST_OR_JSON:
        elements = _json_or_none(rest, at)
        json = elements is not None
        if elements is None:
            words = _split_whitespace(rest, at)
            args = [w.text for w in words]
        else:
            args = elements
    elif keyword in _WORDS:
        words = _split_whitespace(rest, at)
        args = [w.text for w in words]
    elif keyword in _STRING:
        args = [rest] if rest else []
    elif keyword in _NAME_VALUE:
        pairs = _name_values(rest, at, keyword.upper(), escape)
        args = [x for p in pairs for x in (p.key, p.value, "" if p.legacy else "=")]
    elif keyword == "arg":
        words = tuple(_parse_words(rest, at, escape))
        args = [w.text for w in words]
    elif keyword == "healthcheck":
        args, json = _health(rest, at)
    elif keyword == "onbuild":
        if rest:
            child = _read(rest, at, escape)
    else:
        # BuildKit's parseIgnore: an unknown instruction keeps one empty argument.
        args = [""]
    return Reading(
        keyword,
        flags,
        tuple(args),
        json,
        rest,
        Span(at, base + rest_end),
        words=words,
        pairs=pairs,
        child=child,
    )


# extractBuilderFlags and parseHealthConfig index the line byte by byte
# (`rune(line[pos])`): each byte of a multi-byte character counts on its own,
# 0x85 and 0xA0 are then white space, and a flag gets each byte as the Latin-1
# character of that value. `_bytes_view` gives that view of a string.
_BYTE_SPACES = frozenset("\t\n\v\f\r \x85\xa0")


def _bytes_view(text: str) -> tuple[str, list[int] | None]:
    """`text` one character per UTF-8 byte, and the character offset of each
    byte (None when the text is ASCII and both views are the same)."""
    if text.isascii():
        return text, None
    offsets: list[int] = []
    for i, ch in enumerate(text):
        offsets += [i] * len(ch.encode("utf-8", "surrogateescape"))
    offsets.append(len(text))
    return text.encode("utf-8", "surrogateescape").decode("latin-1"), offsets


def _health(rest: str, at: int) -> tuple[list[str], bool]:
    """parseHealthConfig: a type word (CMD, NONE, ...), then shell or JSON form."""
    view, offsets = _bytes_view(rest)
    sep = 0
    while sep < len(view) and view[sep] not in _BYTE_SPACES:
        sep += 1
    if sep == 0:
        return [], False
    nxt = sep
    while nxt < len(view) and view[nxt] in _BYTE_SPACES:
        nxt += 1
    # The type may end inside a character (at a 0xA0 byte): keep its bytes.
    kind = view[:sep].encode("latin-1").decode("utf-8", "surrogateescape")
    nxt = offsets[nxt] if offsets else nxt
    cmd = rest[nxt:]
    if not cmd:
        return [kind], False
    elements = _json_or_none(cmd, at + nxt)
    if elements is None:
        return [kind, cmd], False
    return [kind, *elements], True


def _extract_flags(line: str, start: int, stop: int, base: int) -> tuple[tuple[Flag, ...], int]:
    """BuildKit's extractBuilderFlags over line[start:stop].

    Returns the flags and the offset where the remaining arguments start.
    Flags are leading words that start with `--`; a bare `--` ends them.
    Quotes and backslash escapes inside a flag are processed.
    """
    view, offsets = _bytes_view(line[start:stop])
    flags, rest = _flags_in(view, base + start)
    if offsets is None:
        return flags, start + rest

    def char(offset: int) -> int:
        return base + start + offsets[offset - base - start]

    fixed = tuple(Flag(f.text, Span(char(f.span.start), char(f.span.end))) for f in flags)
    return fixed, start + offsets[rest]


def _flags_in(line: str, base: int) -> tuple[tuple[Flag, ...], int]:
    """extractBuilderFlags proper, over the byte view of the arguments."""
    pos, end = 0, len(line)
    flags: list[Flag] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    word: list[str] = []
    quote = ""
    blank_ok = False
    word_start = pos
    while pos <= end:
        ch = line[pos] if pos != end else ""
        if phase == in_spaces:
            if pos == end:
                break
            if ch in _BYTE_SPACES:
                pos += 1
                continue
            if ch != "-" or pos + 1 == end or line[pos + 1] != "-":
                return tuple(flags), pos
            phase = in_word
            word_start = pos
        if pos == end:  # in a word or a quote at the end of the line
            text = "".join(word)
            if text != "--" and (blank_ok or text):
                flags.append(Flag(text, Span(base + word_start, base + pos)))
            break
        if phase == in_word:
            if ch in _BYTE_SPACES:
                phase = in_spaces
                text = "".join(word)
                if text == "--":
                    return tuple(flags), pos
                if blank_ok or text:
                    flags.append(Flag(text, Span(base + word_start, base + pos)))
                word = []
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = in_quote
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == end:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            word.append(ch)
            pos += 1
            continue
        # in a quote
        if ch == quote:
            phase = in_word
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == end:
                phase = in_word
                pos += 1
                continue
            pos += 1
            ch = line[pos]
        word.append(ch)
        pos += 1
    return tuple(flags), end


def _split_whitespace(rest: str, base: int) -> tuple[Word, ...]:
    """parseStringsWhitespaceDelimited: split on BuildKit's whitespace class."""
    if not rest:
        return ()
    words: list[Word] = []
    pos = 0
    for m in _WHITESPACE.finditer(rest):
        words.append(Word(rest[pos : m.start()], Span(base + pos, base + m.start())))
        pos = m.end()
    words.append(Word(rest[pos:], Span(base + pos, base + len(rest))))
    return tuple(words)


def _parse_words(rest: str, base: int, escape: str) -> list[Word]:
    """BuildKit's parseWords: split on white space outside quotes.

    Quotes and escapes stay in the words (BuildKit strips them later, when it
    expands variables).
    """
    words: list[Word] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    word: list[str] = []
    quote = ""
    blank_ok = False
    start = 0
    pos = 0
    n = len(rest)
    while pos <= n:
        ch = rest[pos] if pos != n else ""
        if phase == in_spaces:
            if pos == n:
                break
            if ch in _SPACES:
                pos += 1
                continue
            phase = in_word
            start = pos
        if pos == n:
            if blank_ok or word:
                words.append(Word("".join(word), Span(base + start, base + pos)))
            break
        if phase == in_word:
            if ch in _SPACES:
                phase = in_spaces
                if blank_ok or word:
                    words.append(Word("".join(word), Span(base + start, base + pos)))
                word = []
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = in_quote
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        # in a quote
        if ch == quote:
            phase = in_word
        if ch == escape and quote != "'":
            if pos + 1 == n:
                phase = in_word
                pos += 1
                continue
            word.append(ch)
            pos += 1
            ch = rest[pos]
        word.append(ch)
        pos += 1
    return words


def _name_values(rest: str, base: int, keyword: str, escape: str) -> tuple[Pair, ...]:
    """BuildKit's parseNameVal for ENV and LABEL."""
    words = _parse_words(rest, base, escape)
    if not words:
        return ()
    if "=" not in words[0].text:
        # Legacy `KEY value`: the rest of the line, raw, is the value.
        parts = _WHITESPACE.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise LineError(
                f"{keyword} must have two arguments: expected {keyword} KEY=value", base
            )
        return (Pair(parts[0], parts[1], True, Span(base, base + len(rest))),)
    pairs: list[Pair] = []
    for w in words:
        if "=" not in w.text:
            raise LineError(
                f"Syntax error - can't find = in {go_quote(w.text)}. "
                "Must be of the form: name=value",
                w.span.start,
            )
        key, _, value = w.text.partition("=")
        pairs.append(Pair(key, value, False, w.span))
    return tuple(pairs)
