"""Which folder is a Dockerfile's build context, when nobody said.

`docker build -f docker/Dockerfile .` builds from the folder above the
Dockerfile's; nothing in the file says so, but its own sources do: every
local source of a `COPY` or `ADD` must be in the build context, or the build
fails (`not found`). So, when `--build-context` is not given:

1. The file's *literal* local sources are read: those of `COPY` and `ADD`
   without `--from`, with no variable, no wildcard (BuildKit lets a wildcard
   match nothing), no heredoc, no URL or git source, and not the context root
   itself (`.`). A leading `/` and `..` stay inside the context, as BuildKit
   reads them.
2. With none of them, or all of them present in the Dockerfile's folder, that
   folder is the context (what dockfix always assumed).
3. Otherwise the folders above it are looked at, up to the repository root (the
   first folder holding `.git`) or `MAX_LEVELS` folders up, whichever comes
   first. The one folder among them that holds every source is the context.
4. When none does, or several do, the context is unknown: `root` is None and
   `reason` says why. Fixes that read the context then refuse, saying so,
   rather than read a folder BuildKit may never see.

`--build-context` (or a front end's explicit context) is used as it is.
The command line, the stdin path and the language server all go through
`locate` (from `dockfix.core.fix_text`), so they agree.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dockfix.contextfiles import has_wildcard
from dockfix.tree import Dockerfile
from dockfix.words import WordError, process_word

# How many folders above the Dockerfile's are looked at when no `.git` marks
# the repository's root before.
MAX_LEVELS = 4


@dataclass(frozen=True)
class Located:
    """The build context chosen for a Dockerfile, and how.

    root: the context (None: unknown). given: passed explicitly
    (`--build-context`). folder: the Dockerfile's folder, where the search
    started (None: the text has no folder on disk). sources: the literal
    local sources read. reason: why the context is unknown, or how a folder
    other than the Dockerfile's was chosen (empty otherwise).
    """

    root: Path | None
    given: bool = False
    folder: Path | None = None
    sources: tuple[str, ...] = ()
    reason: str = ""

    @property
    def elsewhere(self) -> bool:
        """Found above the Dockerfile's folder (neither given nor its folder)."""
        return not self.given and self.root is not None and self.root != self.folder


def given(root: Path) -> Located:
    return Located(root, given=True)


def literal_sources(tree: Dockerfile) -> tuple[str, ...]:
    """The context paths the file's `COPY` and `ADD` name literally (see the
    module's doc), normalised (no `./`, no leading `/`), each once, in order."""
    found: list[str] = []
    for node in tree.instructions:
        reading = node.reading
        if reading.keyword not in ("copy", "add") or reading.flag("from") is not None:
            continue
        heredocs = {h.spec.name for h in node.heredocs}
        for raw in reading.args[:-1]:
            path = _literal(raw, node.escape, reading.json, reading.keyword == "add", heredocs)
            if path is not None and path not in found:
                found.append(path)
    return tuple(found)


def _literal(raw: str, escape: str, json: bool, add: bool, heredocs: set[str]) -> str | None:
    if "$" in raw or (raw.startswith("<<") and raw.lstrip("<-").strip("'\"") in heredocs):
        return None
    if json:
        if any(c in raw for c in "\"'") or escape in raw:
            return None
        value = raw
    else:
        try:
            value = process_word(raw, lambda name: None, escape)
        except WordError:
            return None
    lowered = value.lower()
    if not value or "://" in lowered or lowered.startswith("git@") or ".git#" in lowered:
        return None
    first = value.split("/", 1)[0]
    if add and "/" in value and "." in first and first not in (".", ".."):
        return None  # `github.com/…`: ADD may read a host's name as a git source
    if has_wildcard(value):
        return None
    clean: list[str] = []
    for part in value.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if clean:
                clean.pop()  # `..` never leaves the context
        else:
            clean.append(part)
    return "/".join(clean) or None  # None: the context's root, always there


def locate(
    folder: Path | None,
    sources: Sequence[str],
    *,
    ceiling: Path | None = None,
) -> Located:
    """The build context of a Dockerfile in `folder` whose literal sources are
    `sources` (see the module's doc). `ceiling`: the highest folder to look
    at (tests use it to stay inside their case; the repository root and
    `MAX_LEVELS` bound the search anyway)."""
    sources = tuple(sources)
    if folder is None:
        return Located(None, sources=sources, reason="the Dockerfile has no folder on disk")
    missing = [s for s in sources if not _present(folder, s)]
    if not missing:
        return Located(folder, folder=folder, sources=sources)
    candidates, bound = _above(folder, ceiling)
    holding = [c for c in candidates if all(_present(c, s) for s in sources)]
    start = Path(os.path.abspath(folder))
    named = _names(missing)
    if len(holding) == 1:
        up = _relative(start, holding[0])
        return Located(
            holding[0],
            folder=folder,
            sources=sources,
            reason=f"{up}, which holds {named}, is the build context",
        )
    not_here = f"{named} {'is' if len(missing) == 1 else 'are'} not in the Dockerfile's folder"
    if not holding:
        why = f"{not_here}, and no folder above it ({bound}) holds every COPY/ADD source"
    else:
        where = ", ".join(_relative(start, c) for c in holding)
        why = f"{not_here}, and several folders above it hold every COPY/ADD source ({where})"
    return Located(None, folder=folder, sources=sources, reason=why)


def _present(root: Path, source: str) -> bool:
    return os.path.lexists(root / source)


def _above(folder: Path, ceiling: Path | None) -> tuple[list[Path], str]:
    """The folders above `folder` that may be the context, nearest first, and
    what bounded them (for messages)."""
    current = Path(os.path.abspath(folder))
    top = Path(os.path.abspath(ceiling)) if ceiling is not None else None
    if (current / ".git").exists():
        return [], "it is the repository's root"
    if current == top:
        return [], "none may be"
    found: list[Path] = []
    for _ in range(MAX_LEVELS):
        parent = current.parent
        if parent == current:
            return found, "up to the file system's root"
        found.append(parent)
        if (parent / ".git").exists():
            return found, "up to the repository's root"
        if parent == top:
            return found, f"up to {_relative(Path(os.path.abspath(folder)), parent)}"
        current = parent
    return found, f"{MAX_LEVELS} folders up"


def _relative(start: Path, folder: Path) -> str:
    """`folder` (above `start`) as `../`, `../../`, …"""
    return "../" * (len(start.parts) - len(folder.parts))


def _names(paths: Sequence[str]) -> str:
    shown = [f"`{p}`" for p in paths[:2]]
    if len(paths) > 2:
        return f"{shown[0]}, {shown[1]} and {len(paths) - 2} more"
    return " and ".join(shown)


def describe(located: Located) -> str:
    """Why the build context is unknown, for the fixes' messages."""
    return f"the build context is unknown ({located.reason}); pass --build-context"
