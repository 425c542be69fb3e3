"""Reading, finding and writing Dockerfiles, on file systems as they are.

Text is decoded as UTF-8 with `surrogateescape`, so bytes that are not UTF-8
survive a round trip unchanged; the BOM stays a character of the text; line
endings are never translated.

What the file system may hold is not trusted: a FIFO or socket is never
opened for a blocking read, a binary or huge file is refused, a folder walk
follows each symbolic link at most once and never out of the folders it was
given, and a write goes through a temporary file that replaces the original
only if nobody changed it since it was read. Problems are `FileError`s whose
message reads well after `path: `.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

ENCODING = "utf-8"
ERRORS = "surrogateescape"

# Larger files are refused: no real Dockerfile comes near, and parsing one
# costs time and memory in proportion (about 25 bytes of memory per byte).
MAX_SIZE = 16 * 1024 * 1024

# Folders a directory walk never enters.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}
)


class FileError(Exception):
    """A file that cannot be read or written; the message follows `path: `.

    `skip` marks files that are evidently not Dockerfiles (binary), which a
    folder walk passes over with a warning rather than an error.
    """

    def __init__(self, message: str, skip: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.skip = skip


@dataclass(frozen=True)
class Stamp:
    """What a file was when it was read, to tell whether someone changed it since."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    data: bytes

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> Stamp:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, data)

    def same_file(self, info: os.stat_result) -> bool:
        return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns) == (
            self.device,
            self.inode,
            self.size,
            self.mtime_ns,
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


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _strerror(e: OSError) -> str:
    return e.strerror or str(e)


def read_bytes(path: Path, limit: int = MAX_SIZE) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at `path` (through symbolic links).

    Opened without blocking, so a FIFO or a device is refused, not waited on.
    Raises FileError.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise FileError(f"cannot read: {_strerror(e)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileError(f"not a regular file ({kind_of(info.st_mode)}); skipped")
        if info.st_size > limit:
            raise FileError(
                f"{info.st_size / 1048576:.1f} MiB is over the {limit // 1048576} MiB "
                "limit for a Dockerfile; skipped"
            )
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, max(65536, info.st_size + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileError(f"grew over the {limit // 1048576} MiB limit while read; skipped")
        return b"".join(chunks), info
    except OSError as e:
        raise FileError(f"cannot read: {_strerror(e)}") from None
    finally:
        os.close(fd)


def read_dockerfile(path: Path) -> tuple[str, Stamp]:
    """A Dockerfile's text and its stamp (for `write_atomic`). Raises FileError."""
    data, info = read_bytes(path)
    if b"\0" in data:
        raise FileError("binary file (it holds NUL bytes), not a Dockerfile; skipped", skip=True)
    return data.decode(ENCODING, ERRORS), Stamp.of(info, data)


def read_text(path: Path) -> str:
    """A Dockerfile's text. Raises FileError."""
    return read_dockerfile(path)[0]


def read_side_file(path: Path) -> str | None:
    """The UTF-8 text of a file a fix reads beside a Dockerfile (a build-context
    file, an ignore file), or None if it is absent, unreadable, not a regular
    file (a FIFO is not waited on), over 64 MiB or not UTF-8."""
    try:
        return read_bytes(path, limit=64 * 1024 * 1024)[0].decode("utf-8")
    except (FileError, UnicodeDecodeError):
        return None


def encode(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def write_atomic(path: Path, text: str, stamp: Stamp | None = None) -> None:
    """Replace `path` with `text`: a temporary file in the same folder, then a rename.

    A reader sees the old file or the new one, never a mix, even if dockfix is
    killed; if writing fails (disk full, permission lost), the original stays
    as it was and the temporary file is removed. With `stamp` (what `path` was
    when read), the file is not replaced if someone changed it since. The
    file's permission bits (and owner, when we may) are kept; a read-only file
    is not replaced. Raises FileError.
    """
    data = encode(text)
    path = path.resolve()  # through a symbolic link: replace its target, keep the link
    try:
        info = path.stat()
    except OSError as e:
        raise FileError(f"cannot write: {_strerror(e)}") from None
    if stamp is not None and not stamp.same_file(info):
        raise FileError("changed on disk while dockfix worked on it; not written")
    if not os.access(path, os.W_OK):
        raise FileError("cannot write: the file is read-only; not written")
    import tempfile  # only when writing: it costs every start a few ms

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".dockfix")
    except OSError as e:
        raise FileError(f"cannot write: {_strerror(e)}; the file is unchanged") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):
                os.chown(tmp, info.st_uid, info.st_gid)
        if stamp is not None:
            _unchanged(path, stamp)
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise FileError(f"cannot write: {_strerror(e)}; the file is unchanged") from None
        raise
    _sync_folder(path.parent)


def _unchanged(path: Path, stamp: Stamp) -> None:
    """Raise FileError if `path` is no longer what `stamp` says was read.

    Timestamps may not move for a quick change, so the bytes are compared too.
    """
    try:
        data, info = read_bytes(path)
    except FileError:
        raise FileError("changed on disk while dockfix worked on it; not written") from None
    if not stamp.same_file(info) or data != stamp.data:
        raise FileError("changed on disk while dockfix worked on it; not written")


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: not every system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_new(path: Path, text: str) -> None:
    """Create `path`, which must not exist yet (for files such as .dockerignore).

    Raises FileExistsError if it does, FileError if it cannot be written.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise
    except OSError as e:
        raise FileError(f"cannot create: {_strerror(e)}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(encode(text))
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise FileError(f"cannot create: {_strerror(e)}") from None


# --- finding Dockerfiles ---------------------------------------------------------

# report(path, message, error): a problem met on the way; `error` when
# something could not be done (exit 2), else a warning about a skipped path.
Report = Callable[[Path, str, bool], None]


def _no_report(path: Path, message: str, error: bool) -> None:
    pass


class _Ignore:
    """The .gitignore files of a folder and the folders above it (up to the
    folder named), plus the configured excludes. Each folder gets its own
    (`entered`): the rules of folders walked before, elsewhere, are not
    carried along, so a tree of many repositories costs each path only the
    .gitignore files above it."""

    def __init__(self, rules: tuple[tuple[str, Any], ...]) -> None:
        self.rules = rules  # (folder with a trailing separator, its spec)

    @classmethod
    def at(cls, root: Path, exclude: Sequence[str]) -> _Ignore:
        if not exclude:
            return cls(())
        import pathspec

        return cls(((_prefix(root), pathspec.GitIgnoreSpec.from_lines(exclude)),))

    def entered(self, folder: Path) -> _Ignore:
        """These rules and `folder`'s .gitignore, if any. Raises FileError if
        it cannot be read."""
        gitignore = folder / ".gitignore"
        try:
            info = os.stat(gitignore)
        except OSError as e:
            if e.errno in (errno.ENOENT, errno.ENOTDIR):
                return self
            raise FileError(f"cannot read .gitignore: {_strerror(e)}") from None
        if not stat.S_ISREG(info.st_mode):
            return self
        import pathspec

        data, _ = read_bytes(gitignore, limit=4 * 1024 * 1024)
        lines = data.decode("utf-8", "replace").splitlines()
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        return _Ignore((*self.rules, (_prefix(folder), spec)))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        text = str(path)
        for base, spec in self.rules:
            if not text.startswith(base):
                continue
            rel = text[len(base) :].replace(os.sep, "/")
            if spec.match_file(rel + "/" if is_dir else rel):
                return True
        return False


def _prefix(folder: Path) -> str:
    """`folder` as the start of the paths below it (`Path` drops a leading
    `./`: below `.`, they start with their own names)."""
    text = str(folder)
    if text == ".":
        return ""
    return text if text.endswith(os.sep) else text + os.sep


def _identity(info: os.stat_result) -> int:
    """A file's identity on this machine: its device and inode in one int."""
    return info.st_dev << 64 | info.st_ino


def _inside(real: str, roots: Sequence[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def discover(
    folders: Sequence[tuple[Path, Sequence[str]]],
    report: Report = _no_report,
) -> Iterator[tuple[int, Path]]:
    """Dockerfiles below each of `folders` (each with its configured excludes),
    with the index of the folder they were found from, skipping ignored paths;
    each folder's files in name order.

    Symbolic links are followed once: a link to a file or folder already found
    (or a loop back to a folder above) adds nothing, and a link is followed
    only if its target lies inside one of `folders`. Real paths come first,
    then what only links lead to, so a file is named by its real path when it
    can be. FIFOs, sockets and devices are skipped. What cannot be read is
    `report`ed as an error, what is skipped as a warning.
    """
    roots = tuple(os.path.realpath(folder) for folder, _ in folders)
    # The folders walked and the files found, by device and inode (one int
    # each: a fleet's worth of real-path strings would be most of the memory
    # a run grows by).
    visited: set[int] = set()
    seen_files: set[int] = set()
    # (path through the link, target, rules, index of the folder)
    links: list[tuple[Path, str, _Ignore, int]] = []

    def walk(current: Path, key: int, ignore: _Ignore, index: int) -> Iterator[tuple[int, Path]]:
        visited.add(key)
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
            ignore = ignore.entered(current)
        except FileError as e:
            report(current / ".gitignore", f"{e.message}; folder skipped", True)
            return
        except OSError as e:
            report(current, f"cannot read folder: {_strerror(e)}", True)
            return
        # Each entry is dropped once looked at (with the stat it caches), so
        # that a folder of many files does not keep them all while walking on.
        entries.reverse()
        while entries:
            entry = entries.pop()
            try:
                if entry.is_symlink():
                    link(entry, Path(entry.path), ignore, index)
                    continue
                # Most files are neither folders nor Dockerfiles: the type
                # scandir read tells, with no stat and no Path made for them.
                if not entry.is_dir(follow_symlinks=False) and not is_dockerfile_name(entry.name):
                    continue
                info = entry.stat(follow_symlinks=False)
                mode = info.st_mode
            except OSError as e:
                report(Path(entry.path), f"cannot read: {_strerror(e)}", True)
                continue
            path = Path(entry.path)
            if stat.S_ISDIR(mode):
                if entry.name in SKIP_DIRS or ignore.ignored(path, True):
                    continue
                yield from walk(path, _identity(info), ignore, index)
            elif not ignore.ignored(path, False):
                if stat.S_ISREG(mode):
                    seen_files.add(_identity(info))
                    yield index, path
                else:
                    report(path, f"not a regular file ({kind_of(mode)}); skipped", False)

    def link(entry: os.DirEntry[str], path: Path, ignore: _Ignore, index: int) -> None:
        try:
            target = os.path.realpath(path, strict=True)
            mode = os.stat(target).st_mode
        except OSError as e:
            if is_dockerfile_name(entry.name) or e.errno == errno.ELOOP:
                what = "symbolic link loop" if e.errno == errno.ELOOP else "broken symbolic link"
                report(path, f"{what}; skipped", False)
            return
        is_dir = stat.S_ISDIR(mode)
        if not is_dir and not is_dockerfile_name(entry.name):
            return
        if ignore.ignored(path, is_dir) or (is_dir and entry.name in SKIP_DIRS):
            return
        if not _inside(target, roots):
            report(path, f"symbolic link to {target}, outside the paths given; skipped", False)
            return
        links.append((path, target, ignore, index))

    for index, (folder, exclude) in enumerate(folders):
        try:
            key = _identity(os.stat(folder))
        except OSError as e:
            report(folder, f"cannot read folder: {_strerror(e)}", True)
            continue
        if key not in visited:
            yield from walk(folder, key, _Ignore.at(folder, exclude), index)
    # Then what only links lead to (links met there are followed in turn).
    while links:
        path, target, ignore, index = links.pop(0)
        try:
            info = os.stat(target)
        except OSError:
            continue
        key, mode = _identity(info), info.st_mode
        if stat.S_ISDIR(mode):
            if key not in visited:
                yield from walk(path, key, ignore, index)
        elif key not in seen_files:
            seen_files.add(key)
            if stat.S_ISREG(mode):
                yield index, path
            else:
                report(path, f"not a regular file ({kind_of(mode)}); skipped", False)
