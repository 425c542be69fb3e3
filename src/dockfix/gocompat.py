"""Go and BuildKit behaviour that dockfix must reproduce exactly.

BuildKit is written in Go; where its reading of a Dockerfile depends on Go's
library (white space, string quoting, JSON decoding) or on BuildKit's shell
lexer (heredoc words), this module gives the same answers in Python.

Text read from a file that is not valid UTF-8 reaches us decoded with
`surrogateescape`: U+DC80..U+DCFF stand for the raw bytes 0x80..0xFF, which Go
sees as invalid UTF-8.
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
    """Go's unicode.IsSpace, which BuildKit uses to split and trim words."""
    return ch in _GO_SPACE_SET


# Lone surrogates: Go never holds them; a surrogateescape one is an invalid byte.
_SURROGATE = re.compile("[\ud800-\udfff]")


# --- strconv.Quote ------------------------------------------------------------------


_PLAIN = re.compile(r"[ !#-\[\]-~]*")  # printable ASCII except " and \
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
    """Go's strconv.Quote, as BuildKit prints arguments in its dump (`%q`)."""
    if _PLAIN.fullmatch(s):
        return f'"{s}"'
    out = ['"']
    for ch in s:
        code = ord(ch)
        escaped = _ESCAPES.get(ch)
        if escaped is not None:
            out.append(escaped)
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")  # an invalid byte, as Go quotes it
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x7F or _go_printable(ch):
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


# --- JSON arrays, as BuildKit's parseJSON (json.Unmarshal into []any) ---------------


class NotJSONArray(Exception):
    """Not a JSON array: BuildKit falls back to the shell form."""


class NotStringArray(Exception):
    """A JSON array with a non-string element: BuildKit rejects the line."""


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _go_number(text: str) -> float:
    """Go decodes every number into float64 and fails when it overflows."""
    value = float(text)
    if math.isinf(value):
        raise ValueError("number out of range")
    return value


_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_go_number, parse_int=_go_number
)
_JSON_SPACE = " \t\n\r"
_GO_MAX_DEPTH = 10000  # encoding/json's maxNestingDepth
_JSON_TOKEN = re.compile(
    r"[ \t\n\r]*(?:(?P<open>[\[{])|(?P<close>[\]}])|(?P<comma>,)|(?P<colon>:)"
    r'|(?P<string>"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*")'
    r"|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<literal>true|false|null))"
)


def _go_json_valid(text: str) -> bool:
    """Whether json.Unmarshal accepts `text`, without recursion.

    Only used when Python's decoder gives up on deep nesting: Go allows 10000
    levels, Python's recursion limit far fewer.
    """
    stack: list[str] = []
    expect = "value"  # value, first (value or ]), key, firstkey (key or }), colon, next, end
    pos = 0
    while True:
        m = _JSON_TOKEN.match(text, pos)
        if m is None:
            return expect == "end" and not text[pos:].strip(_JSON_SPACE)
        pos = m.end()
        kind = m.lastgroup
        tok = m.group(kind or 0)
        done = False  # a value was completed
        if expect in ("value", "first"):
            if kind == "open":
                stack.append(tok)
                if len(stack) > _GO_MAX_DEPTH:
                    return False
                expect = "first" if tok == "[" else "firstkey"
            elif kind == "number":
                if math.isinf(float(tok)):
                    return False
                done = True
            elif kind in ("string", "literal"):
                done = True
            elif kind == "close" and expect == "first" and tok == "]":
                stack.pop()
                done = True
            else:
                return False
        elif expect in ("key", "firstkey"):
            if kind == "string":
                expect = "colon"
            elif kind == "close" and expect == "firstkey" and tok == "}":
                stack.pop()
                done = True
            else:
                return False
        elif expect == "colon":
            if kind != "colon":
                return False
            expect = "value"
        elif expect == "next":
            if kind == "comma":
                expect = "value" if stack[-1] == "[" else "key"
            elif kind == "close" and {"[": "]", "{": "}"}[stack[-1]] == tok:
                stack.pop()
                done = True
            else:
                return False
        else:
            return False  # a second value after the first
        if done:
            expect = "next" if stack else "end"


def parse_json_array(text: str) -> list[str]:
    """The strings of a JSON array, read as BuildKit reads exec-form arguments.

    Raises NotJSONArray where BuildKit falls back to the shell form and
    NotStringArray where it rejects the instruction.
    """
    text = text.lstrip(GO_SPACE)
    if not text.startswith("["):
        raise NotJSONArray(text)
    try:
        value, end = _DECODER.raw_decode(text)
    except RecursionError:
        # Nested deeper than Python goes: valid for Go means a non-string element.
        if _go_json_valid(text):
            raise NotStringArray(text) from None
        raise NotJSONArray(text) from None
    except ValueError:
        raise NotJSONArray(text) from None
    if text[end:].strip(_JSON_SPACE):
        raise NotJSONArray(text)  # Unmarshal rejects anything after the value
    if not isinstance(value, list):
        raise NotJSONArray(text)
    if not all(isinstance(v, str) for v in value):
        raise NotStringArray(text)
    # Go turns invalid surrogate escapes and invalid UTF-8 into U+FFFD.
    return [_SURROGATE.sub("\ufffd", v) for v in value]


# --- heredocs: BuildKit's heredocsFromLine and its shell lexer -----------------------


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
    """An error of BuildKit's shell lexer, with its message."""


_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)([^<]*)\Z")
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_MAX_UINT64 = 2**64 - 1


class _ShellLexer:
    """BuildKit's shell lexer (frontend/dockerfile/shell/lex.go, BuildKit v0.13 and
    v0.14) as heredoc detection configures it: escape `\\`, an empty environment
    and SkipUnsetEnv, so every `$VAR` and `${VAR...}` stays as written (re-printed).

    Words split on unquoted Go white space; quotes and escapes are kept when
    raw_quotes / raw_escapes say so. Characters are those Go's text/scanner
    yields: invalid UTF-8 becomes U+FFFD and a leading BOM is skipped.
    """

    __slots__ = ("_pos", "_raw_escapes", "_raw_quotes", "_text")

    def __init__(self, text: str, raw_quotes: bool, raw_escapes: bool) -> None:
        text = _SURROGATE.sub("\ufffd", text)
        self._text = text[1:] if text.startswith("\ufeff") else text
        self._pos = 0
        self._raw_quotes = raw_quotes
        self._raw_escapes = raw_escapes

    def _peek(self) -> str:
        return self._text[self._pos] if self._pos < len(self._text) else ""

    def _next(self) -> str:
        ch = self._peek()
        if ch:
            self._pos += 1
        return ch

    def words(self) -> list[str]:
        return self._stop_on("", self._raw_escapes)[1]

    def _stop_on(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        """The text up to `stop` (consumed; "" = end of text): (result, words)."""
        saved = self._raw_escapes
        self._raw_escapes = raw_escapes
        try:
            return self._scan(stop)
        finally:
            self._raw_escapes = saved

    def _scan(self, stop: str) -> tuple[str, list[str]]:
        text = self._text
        n = len(text)
        result: list[str] = []
        words: list[str] = []
        word: list[str] = []  # never holds "", so `word` is true iff it is non-empty
        in_word = False
        while self._pos < n:
            ch = text[self._pos]
            if ch == stop:
                self._pos += 1
                if word:
                    words.append("".join(word))
                return "".join(result), words
            if ch == "$":
                value = self._dollar()
                result.append(value)
                for c in value:  # an expansion's white space splits words
                    if c in _GO_SPACE_SET:
                        if in_word and word:
                            words.append("".join(word))
                            word = []
                            in_word = False
                    else:
                        word.append(c)
                        in_word = True
            elif ch == "'" or ch == '"':
                value = self._single_quoted() if ch == "'" else self._double_quoted()
                result.append(value)
                if value:
                    word.append(value)
                in_word = True
            else:
                self._pos += 1
                if ch == "\\":
                    if self._raw_escapes:
                        word.append(ch)
                        in_word = True
                        result.append(ch)
                    if self._pos >= n:
                        break
                    ch = text[self._pos]
                    self._pos += 1
                    word.append(ch)
                    in_word = True
                elif ch in _GO_SPACE_SET:
                    if in_word and word:
                        words.append("".join(word))
                        word = []
                        in_word = False
                else:
                    word.append(ch)
                    in_word = True
                result.append(ch)
        if stop:
            self._pos = n
            raise _LexError(f"unexpected end of statement while looking for matching {stop}")
        if word:
            words.append("".join(word))
        return "".join(result), words

    def _single_quoted(self) -> str:
        start = self._pos + 1
        end = self._text.find("'", start)
        if end < 0:
            self._pos = len(self._text)
            raise _LexError("unexpected end of statement while looking for matching single-quote")
        self._pos = end + 1
        body = self._text[start:end]
        return f"'{body}'" if self._raw_quotes else body

    def _double_quoted(self) -> str:
        text = self._text
        n = len(text)
        self._pos += 1
        out = ['"'] if self._raw_quotes else []
        while True:
            if self._pos >= n:
                raise _LexError(
                    "unexpected end of statement while looking for matching double-quote"
                )
            ch = text[self._pos]
            if ch == '"':
                self._pos += 1
                if self._raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self._pos += 1
            if ch == "\\":
                if self._raw_escapes:
                    out.append(ch)
                if self._pos >= n:
                    continue  # reported as an unclosed quote
                if text[self._pos] in '"$\\':
                    ch = text[self._pos]
                    self._pos += 1
            out.append(ch)

    def _name(self) -> str:
        """A parameter name: digits, one special character, or letters/digits/_ (Unicode)."""
        text = self._text
        n = len(text)
        start = end = self._pos
        if end < n and text[end].isdecimal():  # Go's unicode.IsDigit: category Nd
            while end < n and text[end].isdecimal():
                end += 1
        elif end < n and text[end] in _SPECIAL_PARAMS:
            end += 1
        else:  # Go's unicode.IsLetter (category L*) is str.isalpha
            while end < n and (text[end] == "_" or text[end].isalpha() or text[end].isdecimal()):
                end += 1
        self._pos = end
        return text[start:end]

    def _nested(self, stop: str, raw_escapes: bool, at_end: str) -> str:
        """A modifier's word; errors at the end of text become `at_end`."""
        try:
            return self._stop_on(stop, raw_escapes)[0]
        except _LexError:
            if self._pos >= len(self._text):
                raise _LexError(at_end) from None
            raise

    def _dollar(self) -> str:
        """`$…` with every variable unset: re-printed as written (BuildKit's form)."""
        self._pos += 1  # the $
        if self._peek() != "{":
            return "$" + self._name()
        self._pos += 1
        ch = self._peek()
        if not ch:
            raise _LexError("syntax error: missing '}'")
        if ch in "{}:":
            raise _LexError("syntax error: bad substitution")
        name = self._name()
        ch = self._next()
        modifier = ch or "\ufffd"  # Go prints the EOF rune as U+FFFD
        if ch == "}":
            return "${" + name + "}"
        colon = ch == ":"
        if colon:
            ch = self._next()
            modifier += ch or "\ufffd"
        if colon or (ch and ch in "+-?#%"):
            word = self._nested("}", ch in ("#", "%"), "syntax error: missing '}'")
            return "${" + name + modifier + word + "}"
        if ch == "/":
            if self._peek() == "/":
                self._pos += 1  # replace all; not shown in the re-printed form
            pattern = self._nested("/", True, "syntax error: missing '/' in ${}")
            replacement = self._nested("}", True, "syntax error: missing '}'")
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        raise _LexError(f"unsupported modifier ({modifier}) in substitution")


def _shell_words(text: str, raw_quotes: bool, raw_escapes: bool) -> list[str]:
    """BuildKit's ProcessWords; errors carry its `failed to process "…"` prefix."""
    try:
        return _ShellLexer(text, raw_quotes, raw_escapes).words()
    except _LexError as e:
        raise _LexError(f"failed to process {go_quote(text)}: {e}") from None


def heredoc_from_word(word: str) -> HeredocSpec | None:
    """BuildKit's ParseHeredoc: the heredoc a single word opens, if any."""
    m = _HEREDOC_WORD.match(word)
    if not m or not m.group(3):
        return None
    rest = m.group(3)
    try:
        words = _shell_words(rest, raw_quotes=False, raw_escapes=False)
        if len(words) != 1:
            return None
        raw = _shell_words(rest, raw_quotes=True, raw_escapes=False)
    except _LexError as e:
        raise HeredocError(str(e)) from None
    if len(raw) != len(words):
        raise HeredocError(f"internal lexing of heredoc produced inconsistent results: {rest}")
    quotes = words[0].count("'") + words[0].count('"')
    raw_quotes = raw[0].count("'") + raw[0].count('"')
    # strconv.ParseUint, errors ignored: "" gives 0, too large saturates.
    digits = m.group(1).lstrip("0")
    fd = _MAX_UINT64 if len(digits) > 20 else min(int(digits or "0"), _MAX_UINT64)
    return HeredocSpec(
        name=words[0], file_descriptor=fd, expand=quotes == raw_quotes, chomp=m.group(2) == "-"
    )


def heredocs_from_line(line: str) -> list[HeredocSpec]:
    """The heredocs an instruction line opens, in order (BuildKit's heredocsFromLine).

    A line the lexer cannot split has none; a heredoc word it cannot read
    raises HeredocError.
    """
    if "<" not in line:
        return []  # every word character comes from the line
    try:
        words = _shell_words(line, raw_quotes=True, raw_escapes=True)
    except _LexError:
        return []
    specs = []
    for word in words:
        spec = heredoc_from_word(word)
        if spec is not None:
            specs.append(spec)
    return specs
