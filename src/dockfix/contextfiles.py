"""What `COPY` and `ADD` would find in the build context, as BuildKit finds it.

- `expand(context, source)`: the paths a source names, wildcards expanded the
  way BuildKit's copy (fsutil's ResolveWildcards) expands them: the part before
  the first component with a wildcard is a folder, the rest is matched with
  Go's `filepath.Match` (`*` and `?` never match `/`) against the paths below
  that folder; a matching folder is not looked into.
- `kind(context, path)`: a folder, a file, an archive, or unknown (no
  context, absent, a link leading out of the context, unreadable).
- `size(context, path)` and `read_small(context, path, limit)`: a file's size,
  and its text when it is small enough (for fixes that look into a script
  the image runs, without reading a large file of the context).
- `may_be_archive(path)`: whether `ADD` could extract the file. BuildKit
  (`solver/llbsolver/file/unpack.go`, isArchivePath) extracts a source file
  when, after decompressing it if it starts with the magic bytes of gzip,
  bzip2, xz or zstd, Go's `tar.Reader` reads a first header from it: 512
  bytes whose checksum field matches their checksum. This answers True
  whenever that may happen (a zstd stream is not decompressed: always True).

Fixes ask through `Context.probe`, which records the answers for the result
cache (`answer` computes them).
"""

from __future__ import annotations

import enum
import os
import re
from io import BufferedIOBase
from pathlib import Path

from dockfix.rule import Context

_BLOCK = 512
_GZIP = b"\x1f\x8b\x08"
_BZIP2 = b"BZh"
_XZ = b"\xfd7zXZ\x00"
_ZSTD = b"\x28\xb5\x2f\xfd"
WILDCARDS = frozenset("*?[")
# Names hadolint (DL3020) and people take for archives `ADD` extracts.
ARCHIVE_SUFFIXES = (
    ".tar",
    ".Z",
    ".bz2",
    ".gz",
    ".lz",
    ".lzma",
    ".tZ",
    ".tb2",
    ".tbz",
    ".tbz2",
    ".tgz",
    ".tlz",
    ".tpz",
    ".txz",
    ".xz",
    ".zst",
    ".tzst",
    ".zstd",
)


class Kind(enum.Enum):
    DIR = "folder"
    FILE = "file"  # a file ADD copies as it is
    ARCHIVE = "archive"  # a file ADD may extract
    UNKNOWN = "unknown"


def has_wildcard(path: str) -> bool:
    """BuildKit's containsWildcards: `*`, `?` or `[` not escaped by `\\`."""
    i = 0
    while i < len(path):
        if path[i] in WILDCARDS:
            return True
        if path[i] == "\\":
            i += 1
        i += 1
    return False


def archive_name(path: str) -> bool:
    """Whether the name looks like an archive (or the pattern could match one)."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if name.endswith(("*", "?", "]")):
        return True
    return name.endswith(ARCHIVE_SUFFIXES)


def _root(context: Context) -> Path | None:
    root = context.build_context
    if root is None:
        return None
    try:
        return root.resolve(strict=True)
    except OSError:
        return None


def clean(path: str) -> str:
    """`path` relative to the context's root, cleaned as BuildKit cleans it
    (`..` cannot leave the context): `./a/../b/` is `b`, `.` and `/` are ``."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _inside(root: Path, path: str) -> Path | None:
    """`path` (relative to the context, `..` cannot leave it, as in BuildKit)
    with its links resolved; None if a link leads out of the context."""
    parts = [p for p in clean(path).split("/") if p]
    try:
        resolved = (root.joinpath(*parts)).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if resolved != root and root not in resolved.parents:
        return None
    return resolved


def kind(context: Context, path: str) -> Kind:
    """What `path` is in the build context (asked through `Context.probe`)."""
    return Kind(context.probe("kind", path))


def size(context: Context, path: str) -> int | None:
    """The size in bytes of `path` when it is a regular file of the build
    context (links resolved inside it), else None. Asked through `Context.probe`."""
    found = context.probe("size", path)
    return found if isinstance(found, int) else None


def read_small(context: Context, path: str, limit: int) -> str | None:
    """The text of `path` when it is a file of the build context (not a link
    leading out of it) of at most `limit` bytes, in UTF-8; else None. What it
    looked at is recorded for the result cache (`Context.probe`, `Context.read`)."""
    found = size(context, path)
    if found is None or found > limit:
        return None
    return context.read(clean(path))


def expand(context: Context, source: str) -> list[str] | None:
    """The context paths `source` names (itself when it has no wildcard, even
    if absent); None when they cannot be known (no context, a pattern whose
    folder is not there, a link out of the context). Paths the ignore file
    leaves out of the build are not listed. Asked through `Context.probe`."""
    if not has_wildcard(source):
        return [source]
    found = context.probe("wildcard", source)
    return None if found is None else [str(p) for p in found]  # type: ignore[attr-defined]


def answer(context: Context, question: str, path: str) -> object:
    """The answer to `Context.probe(question, path)` (plain values, which the
    result cache stores as JSON)."""
    if question == "kind":
        return _kind(context, path).value
    if question == "wildcard":
        return _expand(context, path)
    if question == "size":
        return _size(context, path)
    raise ValueError(f"unknown question {question!r}")


def _kind(context: Context, path: str) -> Kind:
    root = _root(context)
    if root is None:
        return Kind.UNKNOWN
    resolved = _inside(root, path)
    if resolved is None:
        return Kind.UNKNOWN
    if resolved.is_dir():
        return Kind.DIR
    if resolved.is_file():
        return Kind.ARCHIVE if may_be_archive(resolved) else Kind.FILE
    return Kind.UNKNOWN


def _size(context: Context, path: str) -> int | None:
    root = _root(context)
    resolved = _inside(root, path) if root is not None else None
    if resolved is None or not resolved.is_file():
        return None
    try:
        return resolved.stat().st_size
    except OSError:
        return None


# --- Go's filepath.Match --------------------------------------------------------


def go_match_regex(pattern: str) -> re.Pattern[str] | None:
    """A regex for Go's `filepath.Match(pattern, name)` on Linux; None for a
    pattern Go rejects (ErrBadPattern: then nothing matches). As in Go, a
    character class may match `/`."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            i += 1
            if i >= n:
                return None
            out.append(re.escape(pattern[i]))
        elif ch == "[":
            i += 1
            negate = i < n and pattern[i] == "^"
            if negate:
                i += 1
            ranges: list[str] = []
            first = True
            while True:
                if i >= n:
                    return None
                if pattern[i] == "]" and not first:
                    break
                first = False
                low, i = _class_char(pattern, i)
                if low is None:
                    return None
                lo = hi = low
                if i < n and pattern[i] == "-":
                    high, i = _class_char(pattern, i + 1)
                    if high is None or high < lo:
                        return None
                    hi = high
                ranges.append(re.escape(lo) + ("-" + re.escape(hi) if hi != lo else ""))
            body = "".join(ranges)
            out.append(f"[^{body}]" if negate else f"[{body}]")
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _class_matches_slash(pattern: str) -> bool:
    """Whether a character class of the (valid) pattern can match `/`."""
    for m in re.finditer(r"(?<!\\)\[(\^?)((?:\\.|[^\]])+?|\][^\]]*)\]", pattern):
        if m.group(1) or "/" in m.group(2):
            return True
    return False


def _class_char(pattern: str, i: int) -> tuple[str | None, int]:
    if i >= len(pattern):
        return None, i
    ch = pattern[i]
    if ch in "-]":
        return None, i
    if ch == "\\":
        i += 1
        if i >= len(pattern):
            return None, i
        ch = pattern[i]
    return ch, i + 1


def _expand(context: Context, source: str) -> list[str] | None:
    root = _root(context)
    if root is None:
        return None
    parts = [p for p in source.split("/") if p not in ("", ".")]
    split = next(i for i, p in enumerate(parts) if has_wildcard(p))
    base_parts, pattern_parts = parts[:split], parts[split:]
    if ".." in parts:
        return None
    regex = go_match_regex("/".join(pattern_parts))
    if regex is None:
        return []
    if _class_matches_slash("/".join(pattern_parts)):
        return None  # a class that can match `/` reaches any depth: not walked
    base = _inside(root, "/".join(base_parts))
    if base is None or not base.is_dir():
        return None
    depth = len(pattern_parts)
    found: list[str] = []
    prefix = "/".join(base_parts)
    for dirpath, dirnames, filenames in os.walk(base):
        rel_dir = os.path.relpath(dirpath, base)
        level = 0 if rel_dir == "." else rel_dir.count(os.sep) + 1
        keep = []
        for name in sorted(dirnames + filenames):
            rel = name if rel_dir == "." else f"{rel_dir.replace(os.sep, '/')}/{name}"
            full = f"{prefix}/{rel}" if prefix else rel
            if regex.match(rel):
                if not context.ignored(full):
                    found.append(full)
            elif name in dirnames and level + 1 < depth:
                keep.append(name)
        dirnames[:] = [d for d in dirnames if d in keep]
    return found


# --- archives -------------------------------------------------------------------


def may_be_archive(path: Path) -> bool:
    """Whether BuildKit's `ADD` might extract this file (see the module doc)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
            if head.startswith(_ZSTD) or _zstd_skippable(head):
                return True
            for magic, name in ((_GZIP, "gzip"), (_BZIP2, "bz2"), (_XZ, "lzma")):
                if head.startswith(magic):
                    try:
                        with _open_compressed(name, path) as stream:
                            return _tar_header(stream.read(2 * _BLOCK))
                    except (OSError, EOFError, ValueError, _lzma_error()):
                        return True  # Go might read what Python cannot: keep ADD
            f.seek(0)
            return _tar_header(f.read(2 * _BLOCK))
    except OSError:
        return True


def _open_compressed(name: str, path: Path) -> BufferedIOBase:
    # Imported here: most runs never meet an archive.
    if name == "gzip":
        import gzip

        return gzip.open(path, "rb")
    if name == "bz2":
        import bz2

        return bz2.open(path, "rb")
    import lzma

    return lzma.open(path, "rb")


def _lzma_error() -> type[Exception]:
    import lzma

    return lzma.LZMAError


def _zstd_skippable(head: bytes) -> bool:
    return len(head) >= 8 and int.from_bytes(head[:4], "little") & 0xFFFFFFF0 == 0x184D2A50


def _tar_header(data: bytes) -> bool:
    """Whether Go's tar.Reader.Next() could read a header from `data`: its
    first block's checksum field must match the block's (signed or unsigned)
    checksum. An all-zero first block is the end of an archive, not a header."""
    if len(data) < _BLOCK:
        return False
    block = data[:_BLOCK]
    if block == bytes(_BLOCK):
        return False
    field = block[148:156].strip(b" \x00")
    try:
        value = int(field.decode("ascii"), 8) if field else 0
    except ValueError:
        return False
    masked = block[:148] + b" " * 8 + block[156:]
    unsigned = sum(masked)
    signed = sum(b - 256 if b > 127 else b for b in masked)
    return value in (unsigned, signed)
