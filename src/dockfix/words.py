"""BuildKit's word processing with an environment (shell/lex.go ProcessWord).

ENV, LABEL, ARG, FROM, COPY, ADD, WORKDIR, USER, EXPOSE, VOLUME and
STOPSIGNAL values go through this before BuildKit uses them: quotes are
removed, the escape character escapes, and `$NAME` / `${NAME…}` expand from
the variables in force.

Here a variable's value may be unknown (a build argument, or the base image's
environment). `lookup` returns such values as opaque tokens (see `unknown`),
and an expansion that depends on one becomes a token naming the expansion, so
two texts read alike only when BuildKit certainly reads them alike.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable

_SPECIAL = frozenset("@*#?-$!0")
_TOKEN = "\x00"

Lookup = Callable[[str], str | None]  # None: unset


def unknown(what: str) -> str:
    """An opaque value: equal only to the same unknown."""
    return f"{_TOKEN}{what}{_TOKEN}"


def is_unknown(value: str) -> bool:
    return _TOKEN in value


class WordError(ValueError):
    pass


class _Processor:
    __slots__ = ("_escape", "_lookup", "_pos", "_text")

    def __init__(self, text: str, lookup: Lookup, escape: str) -> None:
        self._text = text
        self._lookup = lookup
        self._escape = escape
        self._pos = 0

    def word(self, stop: str = "") -> str:
        text, n = self._text, len(self._text)
        out: list[str] = []
        while self._pos < n:
            ch = text[self._pos]
            if stop and ch == stop:
                self._pos += 1
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
            elif ch == "'":
                end = text.find("'", self._pos + 1)
                if end < 0:
                    raise WordError("unmatched single quote")
                out.append(text[self._pos + 1 : end])
                self._pos = end + 1
            elif ch == '"':
                out.append(self._double_quoted())
            elif ch == self._escape:
                self._pos += 1
                if self._pos < n:
                    out.append(text[self._pos])
                    self._pos += 1
            else:
                out.append(ch)
                self._pos += 1
        if stop:
            raise WordError(f"missing {stop!r}")
        return "".join(out)

    def _double_quoted(self) -> str:
        text, n = self._text, len(self._text)
        self._pos += 1
        out: list[str] = []
        while True:
            if self._pos >= n:
                raise WordError("unmatched double quote")
            ch = text[self._pos]
            if ch == '"':
                self._pos += 1
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self._pos += 1
            if ch == self._escape and self._pos < n and text[self._pos] in ('"', "$", self._escape):
                ch = text[self._pos]
                self._pos += 1
            out.append(ch)

    def _name(self) -> str:
        text, n = self._text, len(self._text)
        start = end = self._pos
        if end < n and text[end].isdecimal():
            while end < n and text[end].isdecimal():
                end += 1
        elif end < n and text[end] in _SPECIAL:
            end += 1
        else:
            while end < n and (text[end] == "_" or text[end].isalpha() or text[end].isdecimal()):
                end += 1
        self._pos = end
        return text[start:end]

    def _value(self, name: str) -> str | None:
        return self._lookup(name)

    def _dollar(self) -> str:
        self._pos += 1
        if self._pos >= len(self._text) or self._text[self._pos] != "{":
            name = self._name()
            if not name:
                return "$"
            return self._value(name) or ""
        self._pos += 1
        name = self._name()
        if not name:
            raise WordError("bad substitution")
        ch = self._text[self._pos] if self._pos < len(self._text) else ""
        self._pos += 1
        value = self._value(name)
        if ch == "}":
            return value or ""
        op = ch
        if ch == ":":
            op += self._text[self._pos] if self._pos < len(self._text) else ""
            self._pos += 1
        if op in (":-", "-", ":+", "+", ":?", "?", "#", "%", "##", "%%") or op[:1] in "#%":
            if op in ("#", "%") and self._pos < len(self._text) and self._text[self._pos] == op:
                op += op
                self._pos += 1
            word = self.word("}")
            return _modify(name, value, op, word)
        if ch == "/":
            replace_all = self._pos < len(self._text) and self._text[self._pos] == "/"
            if replace_all:
                self._pos += 1
            pattern = self.word("/")
            replacement = self.word("}")
            if value is not None and is_unknown(value):
                return unknown(f"${{{name}/{pattern}/{replacement}}}:{value}")
            return _replace(value or "", pattern, replacement, replace_all)
        raise WordError(f"unsupported modifier ({op}) in substitution")


def _modify(name: str, value: str | None, op: str, word: str) -> str:
    if value is not None and is_unknown(value):
        return unknown(f"${{{name}{op}{word}}}:{value}")
    if op in (":-", "-"):
        use_word = value is None or (op == ":-" and value == "")
        return word if use_word else (value or "")
    if op in (":+", "+"):
        use_word = value is not None and (op == "+" or value != "")
        return word if use_word else ""
    if op in (":?", "?"):
        if value is None or (op == ":?" and value == ""):
            raise WordError(f"{name}: {word or 'is not allowed to be unset'}")
        return value
    value = value or ""
    if is_unknown(word):
        return unknown(f"${{{name}{op}{word}}}:{value}")
    return _trim(value, word, op)


def _trim(value: str, pattern: str, op: str) -> str:
    regex = fnmatch.translate(pattern).removesuffix(r"\Z").removeprefix("(?s:").removesuffix(")")
    greedy = op in ("##", "%%")
    if op.startswith("#"):
        sizes = range(len(value), -1, -1) if greedy else range(len(value) + 1)
        for size in sizes:
            if re.fullmatch(regex, value[:size], re.S):
                return value[size:]
    else:
        starts = range(len(value) + 1) if greedy else range(len(value), -1, -1)
        for start in starts:
            if re.fullmatch(regex, value[start:], re.S):
                return value[:start]
    return value


def _replace(value: str, pattern: str, replacement: str, replace_all: bool) -> str:
    if not pattern:
        return value
    regex = re.compile(fnmatch.translate(pattern)[4:-3], re.S)
    return regex.sub(replacement.replace("\\", "\\\\"), value, count=0 if replace_all else 1)


def process_word(text: str, lookup: Lookup, escape: str = "\\") -> str:
    """The value BuildKit reads from one word: quotes removed, escapes applied,
    variables expanded. Raises WordError where BuildKit would fail."""
    if "$" not in text and "'" not in text and '"' not in text and escape not in text:
        return text  # (`escape` is one character)
    return _Processor(text, lookup, escape).word()
