"""Reading, finding and writing Dockerfiles.

Text is decoded as UTF-8 with `surrogateescape`, so bytes that are not UTF-8
survive a round trip unchanged; the BOM stays a character of the text; line
endings are never translated.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

ENCODING = "utf-8"
ERRORS = "surrogateescape"

# Folders a directory walk never enters.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}
)


def is_dockerfile_name(name: str) -> bool:
    """Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile, Containerfile.*"""
    if name.endswith(".dockerignore"):
        return False  # Dockerfile.dockerignore: the ignore file of a Dockerfile
    return (
        name in ("Dockerfile", "Containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or fnmatchcase(name, "?*.Dockerfile")
        or fnmatchcase(name, "?*.dockerfile")
    )


def read_text(path: Path) -> str:
    return path.read_bytes().decode(ENCODING, ERRORS)


def encode(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text`: temporary file in the same folder, then rename.

    The file's permission bits (and owner, when we may) are kept; a reader sees
    the old file or the new one, never a mix, even if dockfix is killed.
    """
    data = encode(text)
    path = path.resolve()  # through a symbolic link: replace its target, keep the link
    info = path.stat()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".dockfix")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):
                os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def create_new(path: Path, text: str) -> None:
    """Create `path`, which must not exist yet (for files such as .dockerignore)."""
    with open(path, "xb") as f:
        f.write(encode(text))


class _Ignore:
    """The .gitignore files met on the way down, plus configured excludes."""

    def __init__(self, root: Path, exclude: Sequence[str]) -> None:
        import pathspec

        self._pathspec = pathspec
        self.rules: list[tuple[Path, Any]] = []
        if exclude:
            self.rules.append((root, pathspec.GitIgnoreSpec.from_lines(exclude)))

    def enter(self, folder: Path) -> None:
        gitignore = folder / ".gitignore"
        if gitignore.is_file():
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
            self.rules.append((folder, self._pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for base, spec in self.rules:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + "/" if is_dir else rel):
                return True
        return False


def discover(folder: Path, exclude: Sequence[str] = ()) -> Iterator[Path]:
    """Dockerfiles below `folder`, sorted, skipping ignored paths and folders
    named like Dockerfiles."""
    ignore = _Ignore(folder, exclude)

    def walk(current: Path) -> Iterator[Path]:
        ignore.enter(current)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if entry.name in SKIP_DIRS or ignore.ignored(path, True):
                    continue
                yield from walk(path)
            elif (
                entry.is_file()
                and is_dockerfile_name(entry.name)
                and not ignore.ignored(path, False)
            ):
                yield path

    yield from walk(folder)
