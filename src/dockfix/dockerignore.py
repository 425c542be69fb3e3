""".dockerignore patterns, matched the way BuildKit (moby/patternmatcher) does.

Unlike .gitignore, a pattern is anchored at the root of the build context
(`foo` excludes `./foo`, not `./a/foo`), `**` matches any number of folders,
a pattern that matches a folder excludes everything in it, `!` re-includes,
and the last pattern that matches a path decides.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Pattern:
    """One .dockerignore line, compiled."""

    regex: re.Pattern[str]
    exclusion: bool  # a `!` pattern re-includes what it matches


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    out = ["^"]
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    i += 1
                    out.append("(.*/)?")  # **/ : zero or more folders
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body + "]")
                i = end
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    out.append("$")
    return re.compile("".join(out))


def parse(text: str) -> list[Pattern]:
    patterns = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        line = posixpath.normpath(line).lstrip("/")
        if line in ("", "."):
            continue
        patterns.append(Pattern(_compile(line), exclusion))
    return patterns


def excluded(path: str, patterns: list[Pattern]) -> bool:
    """Whether `path` (relative to the context, with `/`) is left out of it."""
    path = posixpath.normpath(path).lstrip("/")
    parents = []
    parts = path.split("/")
    for n in range(1, len(parts)):
        parents.append("/".join(parts[:n]))
    result = False
    for pattern in patterns:
        if result == (not pattern.exclusion):
            continue  # cannot change the outcome
        hit = bool(pattern.regex.match(path)) or any(pattern.regex.match(p) for p in parents)
        if hit:
            result = not pattern.exclusion
    return result
