"""What a fix module declares and returns.

A fix lives in one module of the `fixes` package. It defines `RULE` (its
metadata) and `check(tree, context)`, which yields `Finding`s. A finding may
carry a `Fix`: the edits that repair it and whether applying them is safe. The
engine, not the fix, decides which fixes to apply (see dockfix.engine).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockfix.buildcontext import Located
    from dockfix.config import Settings
    from dockfix.tree import Dockerfile, Instruction, Node


class Safety(enum.Enum):
    """ruff's applicability: safe fixes are applied by default, unsafe ones
    only with --unsafe-fixes."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Rule:
    """What a fix module declares: its code, name and summary, the safety of the
    fix it usually offers, and the hadolint and BuildKit rules it relates to."""

    code: str  # stable, e.g. "DF001"
    name: str  # kebab-case, e.g. "merge-env"
    summary: str  # one line
    safety: Safety  # of the fix this rule usually offers
    hadolint: str | None = None  # related hadolint rules, e.g. "DL3009" or "DL3014,DL3015"
    buildkit: str | None = None  # related BuildKit check, e.g. "JSONArgsRecommended"
    fixable: bool = True  # False: a check that only reports (no mechanical fix exists)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the contiguous run of nodes `old` (by identity) with `new`.

    With `old` empty, `new` is inserted after `after` (or at the top when
    `after` is None).
    """

    old: tuple[Node, ...]
    new: tuple[Node, ...]
    after: Node | None = None


def name_matches(name: str, pattern: str) -> bool:
    """fnmatch's case-sensitive match of one name, without compiling a regular
    expression for the usual patterns (a plain name, or `*` only: a start-up
    of the editor path compiles every pattern it meets)."""
    if "?" in pattern or "[" in pattern:
        from fnmatch import fnmatchcase

        return fnmatchcase(name, pattern)
    if "*" not in pattern:
        return name == pattern
    pieces = pattern.split("*")
    first, last = pieces[0], pieces[-1]
    if len(name) < len(first) + len(last) or not name.startswith(first):
        return False
    if not name.endswith(last):
        return False
    at, end = len(first), len(name) - len(last)
    for piece in pieces[1:-1]:
        found = name.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


# Folder listings kept across the files of a run (the Dockerfiles of one
# repository share their build context), by path, while the folder's
# modification time stays the same: adding, removing or renaming an entry
# changes it. As git does with its index, a folder changed in the last two
# seconds is not kept: a file system's clock may be coarser than that of a
# change made right after the listing.
_LISTINGS: dict[str, tuple[int, dict[str, tuple[bool, bool]]]] = {}


def _listing(folder: Path) -> dict[str, tuple[bool, bool]]:
    """The entries of `folder`: name -> (is a folder, is a file), through links."""
    import os
    import time

    key = str(folder)
    try:
        stamp = os.stat(key).st_mtime_ns
    except OSError:
        return {}
    kept = _LISTINGS.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    try:
        with os.scandir(key) as entries:
            listing = {e.name: (e.is_dir(), e.is_file()) for e in entries}
    except OSError:
        return {}
    if time.time_ns() - stamp > 2_000_000_000:
        if len(_LISTINGS) >= 4096:
            _LISTINGS.clear()
        _LISTINGS[key] = (stamp, listing)
    return listing


def _matching(
    folder: Path, parts: list[str], prefix: str, listings: dict[str, dict[str, tuple[bool, bool]]]
) -> Iterator[str]:
    """The files below `folder` matching the pattern `parts` (one per level);
    `listings` keeps each folder's entries for the other patterns of a file."""

    from dockfix.files import SKIP_DIRS

    if prefix not in listings:
        listings[prefix] = _listing(folder)
    listing = listings[prefix]
    last = len(parts) == 1
    part = parts[0]
    if "*" in part or "?" in part or "[" in part:
        named = [(n, *kinds) for n, kinds in listing.items() if name_matches(n, part)]
    else:  # a plain name: looked up, not compared with every entry
        named = [(part, *listing[part])] if part in listing else []
    for name, is_dir, is_file in named:
        if last:
            if is_file:
                yield prefix + name
        elif is_dir and not name.startswith(".") and name not in SKIP_DIRS:
            yield from _matching(folder / name, parts[1:], f"{prefix}{name}/", listings)


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file to create in the build context (e.g. `.dockerignore`)."""

    path: str  # relative to the build context, with `/`
    content: str


Postcondition = Callable[["Dockerfile", "Dockerfile"], "str | None"]
"""What BuildKit must read in the fixed file, given (before, after): None when
it holds, else why not. `dockfix.semantics.keeps(...)` builds the usual ones."""


@dataclass(frozen=True, slots=True)
class Fix:
    """The edits that fix one finding, how safe they are, and what the engine
    must find in the re-parsed output (`postcondition`)."""

    edits: tuple[Edit, ...]
    safety: Safety
    title: str = ""
    files: tuple[NewFile, ...] = ()
    # Checked by the engine on the re-parsed output before anything is printed
    # or written; a fix whose post-condition fails leaves the file unchanged.
    postcondition: Postcondition | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a fix module found on an instruction, with its fix if it has one."""

    rule: Rule
    node: Instruction
    message: str
    fix: Fix | None = None
    column: int = 1


@dataclass(frozen=True)
class Context:
    """What a fix may look at besides the tree: the build context folder
    and the settings in force.

    The build context is the one given (`--build-context`), else the one
    `dockfix.buildcontext.locate` finds from the file's own `COPY`/`ADD`
    sources: the Dockerfile's folder, or the one folder above it that holds
    them all. It is None when it is unknown; fixes that read it then refuse,
    saying why (`unknown()`), rather than read a folder BuildKit may not see.
    """

    build_context: Path | None
    settings: Settings
    files: dict[str, str | None] = field(default_factory=dict)
    dockerfile: Path | None = None  # the Dockerfile's own path, when on disk
    # Answers computed once per file (e.g. the hadolint configuration's rules).
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    # What `glob` found, by pattern (recorded, like `files`, for the result cache).
    globs: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    # What `probe` found, by question (recorded too).
    probes: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    # Files the fixes of this run create (`.dockerignore`): later fixes and the
    # second pass see them, but they are not what the build context held, so
    # they are kept apart from `files`, which the result cache records.
    created: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # How the build context was chosen (None: given as it is, by a caller).
    located: Located | None = field(default=None, repr=False, compare=False)

    def unknown(self) -> str:
        """Why there is no build context (when `build_context` is None), for
        the messages of fixes that need it."""
        from dockfix.buildcontext import describe

        if self.located is not None and self.located.root is None:
            return describe(self.located)
        return "the build context is unknown; pass --build-context"

    def elsewhere(self) -> str:
        """How the build context was found, when it is not the Dockerfile's
        folder although nobody gave it (else empty), for messages."""
        located = self.located
        return located.reason if located is not None and located.elsewhere else ""

    def read(self, name: str) -> str | None:
        """The text of a file in the build context, or None if absent."""
        if name in self.created:
            return self.created[name]
        if name not in self.files:
            text = None
            if self.build_context is not None:
                from dockfix.files import read_side_file

                text = read_side_file(self.build_context / name)
            self.files[name] = text
        return self.files[name]

    def exists(self, name: str) -> bool:
        return self.read(name) is not None

    def glob(self, pattern: str) -> tuple[str, ...]:
        """Context-relative paths (with `/`) of the files matching `pattern`
        (`*`, `?` and `[…]` within a name, `/` between folders), sorted. It
        never enters a dot-folder or one of `files.SKIP_DIRS` (node_modules,
        virtual environments): `*/*/setup.py` would otherwise list every
        package of a node_modules, on every save.

        Fixes look at the build context only through `read`, `exists` and
        `glob`, so what they saw can be recorded (see dockfix.cache).
        """
        if pattern not in self.globs:
            found: tuple[str, ...] = ()
            if self.build_context is not None:
                listings = self.memo.setdefault("listings", {})
                assert isinstance(listings, dict)
                parts = pattern.split("/")
                found = tuple(sorted(_matching(self.build_context, parts, "", listings)))
            self.globs[pattern] = found
        return self.globs[pattern]

    def probe(self, question: str, path: str) -> object:
        """What BuildKit's `COPY`/`ADD` would find at `path` in the build context
        (see `dockfix.contextfiles.answer`): `"kind"` (folder, file, archive or
        unknown) or `"wildcard"` (the paths a source with wildcards matches).
        Recorded, like `read` and `glob`, for the result cache."""
        key = f"{question}:{path}"
        if key not in self.probes:
            from dockfix.contextfiles import answer

            self.probes[key] = answer(self, question, path)
        return self.probes[key]

    def hadolint_ignored(self) -> frozenset[str]:
        """Rules a hadolint configuration near the Dockerfile switches off."""
        from dockfix.hadolint_config import ignored_for

        cached = self.memo.get("hadolint_ignored")
        if cached is None:
            folder = self.dockerfile.parent if self.dockerfile is not None else self.build_context
            cached = ignored_for(folder.resolve()) if folder is not None else frozenset()
            self.memo["hadolint_ignored"] = cached
        assert isinstance(cached, frozenset)
        return cached

    def ignore_file(self) -> str | None:
        """The ignore rules BuildKit uses: `<Dockerfile>.dockerignore` beside the
        Dockerfile if there is one, else the context's `.dockerignore`."""
        if self.dockerfile is not None:
            if "own_ignore" not in self.memo:
                from dockfix.files import read_side_file

                own = self.dockerfile.with_name(self.dockerfile.name + ".dockerignore")
                self.memo["own_ignore"] = read_side_file(own)
            text = self.memo["own_ignore"]
            if isinstance(text, str):
                return text
        return self.read(".dockerignore")

    def ignored(self, path: str) -> bool:
        """Whether the ignore rules leave `path` out of the build."""
        from dockfix.dockerignore import excluded, parse

        text = self.ignore_file()
        return text is not None and excluded(path, parse(text))


Check = Callable[["Dockerfile", Context], Iterator[Finding]]
