"""Go and BuildKit behaviour that dockfix must reproduce exactly.

BuildKit is written in Go; where its reading of a Dockerfile depends on Go's
library (white space, string quoting, JSON decoding) or on BuildKit's shell
lexer (heredoc words), this module gives the same answers in Python.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass

# Go's unicode.IsSpace. (Python's str.isspace also accepts \x1c-\x1f.)
GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_GO_SPACE_SET = frozenset(GO_SPACE)


def is_go_space(ch: str) -> bool:
    return ch in _GO_SPACE_SET


# --- strconv.Quote -------------------------------------------------------------

_PLAIN = re.compile(r"[ !#-\[\]-~]*\Z")  # printable ASCII except " and \
_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    '"': '\\"',
    "\\": "\\\\",
}


def _go_printable(ch: str) -> bool:
    """Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols, ASCII space."""
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def go_quote(s: str) -> str:
    """Go's strconv.Quote: a double-quoted string with Go escapes."""
    if _PLAIN.match(s):
        return f'"{s}"'
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:
            # A byte that was not UTF-8 (decoded with surrogateescape): Go
            # quotes invalid bytes as \xNN.
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x80 or _go_printable(ch):
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


# --- JSON arrays, as BuildKit's parseJSON (json.Unmarshal into []any) --------------


class NotJSONArray(Exception):
    """Not a JSON array: BuildKit falls back to the shell form."""


class NotStringArray(Exception):
    """A JSON array with a non-string element: BuildKit rejects the line."""


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("number out of range")  # Go's Unmarshal fails on overflow
    return value


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_float)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(value: object) -> object:
    """Go decodes a lone surrogate escape (\\ud800) as U+FFFD."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return _SURROGATE.sub("\ufffd", value)
    return value


def parse_json_array(text: str) -> list[str]:
    """The strings of a JSON array, read as BuildKit reads exec-form arguments."""
    text = text.lstrip(GO_SPACE)
    if not text.startswith("["):
        raise NotJSONArray(text)
    try:
        value, end = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        raise NotJSONArray(text) from None
    if text[end:].strip(" \t\n\r"):
        raise NotJSONArray(text)  # Unmarshal rejects anything after the value
    if not isinstance(value, list):
        raise NotJSONArray(text)
    if not all(isinstance(v, str) for v in value):
        raise NotStringArray(text)
    return [str(_fix_surrogates(v)) for v in value]


# --- heredocs: BuildKit's heredocsFromLine and its shell lexer ---------------------------


@dataclass(frozen=True, slots=True)
class HeredocSpec:
    """A heredoc named on an instruction line (`<<EOF`, `<<-'EOF'`, `3<<EOF`)."""

    name: str
    file_descriptor: int
    expand: bool  # False when any part of the name was quoted
    chomp: bool  # `<<-`: leading tabs are stripped


class HeredocError(Exception):
    """BuildKit rejects the heredoc word (for example, an unbalanced quote)."""


class _LexError(Exception):
    pass


_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)([^<]*)\Z")
_SPECIAL_PARAMS = "@*#?-$!0"


class _ShellWords:
    """BuildKit's shell lexer (frontend/dockerfile/shell/lex.go) with an empty
    environment and SkipUnsetEnv, as heredoc detection uses it: words are split
    on unquoted white space and every `$VAR` stays as written."""

    def __init__(self, text: str, raw_quotes: bool, raw_escapes: bool) -> None:
        self.text = text
        self.pos = 0
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        ch = self.peek()
        if ch:
            self.pos += 1
        return ch

    def words(self) -> list[str]:
        _, words = self.process(stop="", raw_escapes=self.raw_escapes)
        return words

    def process(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            return self._process(stop)
        finally:
            self.raw_escapes = saved

    def _process(self, stop: str) -> tuple[str, list[str]]:
        result: list[str] = []
        words: list[str] = []
        word: list[str] = []
        in_word = False

        def add_char(ch: str) -> None:
            nonlocal in_word, word
            if is_go_space(ch):
                if in_word and word:
                    words.append("".join(word))
                    word = []
                    in_word = False
            else:
                word.append(ch)
                in_word = True

        def add_raw(text: str) -> None:
            nonlocal in_word
            word.append(text)
            in_word = True

        while self.peek():
            ch = self.peek()
            if stop and ch == stop:
                self.next()
                if word:
                    words.append("".join(word))
                return "".join(result), words
            if ch == "$":
                value = self.dollar()
                result.append(value)
                for c in value:
                    add_char(c)
            elif ch == "'":
                value = self.single_quoted()
                result.append(value)
                add_raw(value)
            elif ch == '"':
                value = self.double_quoted()
                result.append(value)
                add_raw(value)
            else:
                ch = self.next()
                if ch == "\\":
                    if self.raw_escapes:
                        add_raw(ch)
                        result.append(ch)
                    ch = self.next()
                    if not ch:
                        break
                    add_raw(ch)
                else:
                    add_char(ch)
                result.append(ch)
        if stop:
            raise _LexError(f"unexpected end of statement while looking for matching {stop}")
        if word:
            words.append("".join(word))
        return "".join(result), words

    def single_quoted(self) -> str:
        opening = self.next()
        out = [opening] if self.raw_quotes else []
        while True:
            ch = self.next()
            if not ch:
                raise _LexError(
                    "unexpected end of statement while looking for matching single-quote"
                )
            if ch == "'":
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            out.append(ch)

    def double_quoted(self) -> str:
        opening = self.next()
        out = [opening] if self.raw_quotes else []
        while True:
            ch = self.peek()
            if not ch:
                raise _LexError(
                    "unexpected end of statement while looking for matching double-quote"
                )
            if ch == '"':
                self.next()
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
                continue
            ch = self.next()
            if ch == "\\":
                if self.raw_escapes:
                    out.append(ch)
                following = self.peek()
                if not following:
                    continue
                if following in '"$\\':
                    ch = self.next()
            out.append(ch)

    def name(self) -> str:
        ch = self.peek()
        if ch and ch.isdigit():
            start = self.pos
            while self.peek() and self.peek().isdigit():
                self.next()
            return self.text[start : self.pos]
        if ch and ch in _SPECIAL_PARAMS:
            return self.next()
        start = self.pos
        while self.peek() and (self.peek().isalnum() or self.peek() == "_"):
            self.next()
        return self.text[start : self.pos]

    def dollar(self) -> str:
        self.next()  # the $
        if self.peek() != "{":
            name = self.name()
            return "$" + name if name else "$"
        self.next()
        ch = self.peek()
        if not ch:
            raise _LexError("syntax error: missing '}'")
        if ch in "{}:":
            raise _LexError("syntax error: bad substitution")
        name = self.name()
        ch = self.next()
        if ch == "}":
            return "${" + name + "}"
        modifier = ch
        if ch == ":":
            ch = self.next()
            modifier += ch
        if not ch:
            raise _LexError("syntax error: missing '}'")
        if ch in "+-?#%" or modifier.startswith(":"):
            try:
                word, _ = self.process("}", raw_escapes=ch in "#%")
            except _LexError:
                if not self.peek():
                    raise _LexError("syntax error: missing '}'") from None
                raise
            return "${" + name + modifier + word + "}"
        if ch == "/":
            if self.peek() == "/":
                self.next()
            try:
                pattern, _ = self.process("/", raw_escapes=True)
            except _LexError:
                if not self.peek():
                    raise _LexError("syntax error: missing '/' in ${}") from None
                raise
            try:
                replacement, _ = self.process("}", raw_escapes=True)
            except _LexError:
                if not self.peek():
                    raise _LexError("syntax error: missing '}'") from None
                raise
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        raise _LexError(f"unsupported modifier ({modifier}) in substitution")


def _shell_words(text: str, raw_quotes: bool, raw_escapes: bool) -> list[str]:
    return _ShellWords(text, raw_quotes, raw_escapes).words()


def heredoc_from_word(word: str) -> HeredocSpec | None:
    m = _HEREDOC_WORD.match(word)
    if not m or not m.group(3):
        return None
    rest = m.group(3)
    try:
        words = _shell_words(rest, raw_quotes=False, raw_escapes=False)
    except _LexError as e:
        raise HeredocError(str(e)) from None
    if len(words) != 1:
        return None
    try:
        raw = _shell_words(rest, raw_quotes=True, raw_escapes=False)
    except _LexError as e:
        raise HeredocError(str(e)) from None
    if len(raw) != len(words):
        raise HeredocError(f"internal lexing of heredoc produced inconsistent results: {rest}")
    quotes = words[0].count("'") + words[0].count('"')
    raw_quotes = raw[0].count("'") + raw[0].count('"')
    return HeredocSpec(
        name=words[0],
        file_descriptor=int(m.group(1)) if m.group(1) else 0,
        expand=quotes == raw_quotes,
        chomp=m.group(2) == "-",
    )


def heredocs_from_line(line: str) -> list[HeredocSpec]:
    """The heredocs an instruction line opens, in order (BuildKit's heredocsFromLine)."""
    if "<<" not in line:
        return []
    try:
        words = _shell_words(line, raw_quotes=True, raw_escapes=True)
    except _LexError:
        return []  # BuildKit ignores a line its lexer cannot split
    specs = []
    for word in words:
        spec = heredoc_from_word(word)
        if spec is not None:
            specs.append(spec)
    return specs
