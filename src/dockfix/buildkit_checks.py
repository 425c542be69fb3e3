"""Helpers shared by the modules that report BuildKit's build checks without a
fix: BuildKit's suggestion search, and the variables an instruction expands.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from dockfix.tree import Instruction
from dockfix.words import WordError, process_word


def levenshtein(a: str, b: str) -> int:
    """Edit distance with unit costs (agext/levenshtein's default)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggest(value: str, options: list[str]) -> str | None:
    """BuildKit's suggest.Search (case-sensitive): the first option closest to
    `value` within two edits; none when `value` is itself an option."""
    match, best = None, 3
    for option in options:
        if option == value:
            return None
        distance = levenshtein(value, option)
        if distance < best:
            match, best = option, distance
    return match


def referenced(text: str, defined: Callable[[str], bool], escape: str = "\\") -> list[str]:
    """The variables that expanding `text` looks up and finds unset, in order
    (BuildKit's ProcessWord `unmatched`). `$1`, `$@`… count as names too."""
    missing: list[str] = []

    def lookup(name: str) -> str | None:
        if defined(name):
            return "x"
        if name not in missing:
            missing.append(name)
        return None

    # Where BuildKit fails the build, the names seen so far still count.
    with contextlib.suppress(WordError):
        process_word(text, lookup, escape)
    return missing


def expanded_words(node: Instruction) -> Iterator[tuple[str, bool]]:
    """The texts BuildKit expands in `node` before dispatching it, each with
    whether quotes are processed (False for heredoc bodies, read raw).

    ENV and LABEL keys and values; WORKDIR, USER, STOPSIGNAL; VOLUME's paths;
    COPY and ADD sources, destination, `--chown`, `--chmod` (and ADD's
    `--checksum`) and the bodies of heredocs with an unquoted delimiter;
    RUN's `--mount` values. ARG defaults are handled by the caller (each
    sees the ARGs before it in the same instruction); EXPOSE, FROM, CMD,
    ENTRYPOINT, HEALTHCHECK and SHELL are not reported by BuildKit.
    """
    reading = node.reading
    keyword = reading.keyword
    if keyword in ("env", "label"):
        for pair in reading.pairs:
            yield pair.key, True
            yield pair.value, True
    elif keyword in ("workdir", "user", "stopsignal"):
        if reading.args:
            yield reading.args[0], True
    elif keyword == "volume":
        for arg in reading.args:
            yield arg, True
    elif keyword in ("copy", "add"):
        names = ("chown", "chmod", "checksum") if keyword == "add" else ("chown", "chmod")
        for flag in reading.flags:
            if flag.name in names and flag.value is not None:
                yield flag.value, True
        names_of_heredocs = {h.spec.name for h in node.heredocs}
        for arg in reading.args:
            if arg.startswith("<<") and arg.lstrip("<-").strip("'\"") in names_of_heredocs:
                continue
            yield arg, True
        for heredoc in node.heredocs:
            if heredoc.spec.expand:
                yield heredoc.content, False
    elif keyword == "run":
        for flag in reading.flags:
            if flag.name == "mount" and flag.value is not None:
                for field in flag.value.split(","):
                    _, eq, value = field.partition("=")
                    if eq:
                        yield value, True
