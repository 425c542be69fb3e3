"""What COPY and ADD find in the build context: wildcards as Go matches them,
archives as BuildKit's ADD detects them."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from dockfix import contextfiles
from dockfix.config import Settings
from dockfix.contextfiles import Kind
from dockfix.rule import Context


def _tar(name: str = "a.txt", data: bytes = b"hello\n") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("*.txt", "a.txt", True),
        ("*.txt", "d/a.txt", False),  # `*` never matches `/`
        ("?.txt", "a.txt", True),
        ("?.txt", "ab.txt", False),
        ("[ab].txt", "b.txt", True),
        ("[a-c].txt", "d.txt", False),
        ("[^a].txt", "b.txt", True),
        ("[^a].txt", "a.txt", False),
        ("\\*.txt", "*.txt", True),
        ("\\*.txt", "a.txt", False),
        ("d/*", "d/x", True),
    ],
)
def test_go_match(pattern: str, name: str, matches: bool) -> None:
    regex = contextfiles.go_match_regex(pattern)
    assert regex is not None
    assert bool(regex.match(name)) is matches


@pytest.mark.parametrize("pattern", ["[", "[]a]", "[a-]", "a\\", "[z-a]"])
def test_bad_patterns_match_nothing(pattern: str) -> None:
    assert contextfiles.go_match_regex(pattern) is None


def test_wildcard_sources(tmp_path: Path) -> None:
    for name in ("a.json", "b.json", "c.txt", "sub/d.json", "sub/deeper/e.json", "skip.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / ".dockerignore").write_text("skip.json\n")
    context = Context(tmp_path, Settings())
    assert contextfiles.expand(context, "*.json") == ["a.json", "b.json"]
    assert contextfiles.expand(context, "sub/*.json") == ["sub/d.json"]
    assert contextfiles.expand(context, "*/*.json") == ["sub/d.json"]
    assert contextfiles.expand(context, "s*") == ["sub"]  # a matching folder, not its files
    assert contextfiles.expand(context, "missing/*.json") is None
    assert contextfiles.expand(context, "plain.txt") == ["plain.txt"]
    assert contextfiles.expand(Context(None, Settings()), "*.json") is None


def test_kinds_and_links(tmp_path: Path) -> None:
    root = tmp_path / "ctx"
    (root / "dir").mkdir(parents=True)
    (root / "file").write_text("x")
    (root / "to-dir").symlink_to("dir")
    (tmp_path / "outside").write_text("x")
    (root / "out").symlink_to(tmp_path / "outside")
    context = Context(root, Settings())
    assert contextfiles.kind(context, "dir") is Kind.DIR
    assert contextfiles.kind(context, "./dir/") is Kind.DIR
    assert contextfiles.kind(context, "file") is Kind.FILE
    assert contextfiles.kind(context, "/file") is Kind.FILE  # `/` is the context's root
    assert contextfiles.kind(context, "../file") is Kind.FILE  # `..` cannot leave it
    assert contextfiles.kind(context, "to-dir") is Kind.DIR
    assert contextfiles.kind(context, "out") is Kind.UNKNOWN
    assert contextfiles.kind(context, "absent") is Kind.UNKNOWN
    (root / "data.bin").write_bytes(gzip.compress(_tar()))
    assert contextfiles.kind(context, "data.bin") is Kind.ARCHIVE
    # Every answer is recorded for the result cache.
    assert context.probes["kind:data.bin"] == "archive"
    assert context.probes["kind:dir"] == "folder"


def test_the_result_cache_sees_a_file_become_an_archive(tmp_path: Path) -> None:
    dockfix = str(Path(sys.executable).parent / "dockfix")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nADD data.bin /opt/\n")
    (tmp_path / "data.bin").write_bytes(b"plain data\n")

    def run() -> str:
        done = subprocess.run(
            [dockfix, "--no-progress", "--select", "add-to-copy", "Dockerfile"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    assert "[*]" in run() and "archive" not in run()  # the second run reads the cache
    (tmp_path / "data.bin").write_bytes(_tar())
    assert "is an archive" in run()


@pytest.mark.parametrize(
    ("content", "archive"),
    [
        (_tar(), True),
        (_tar()[:1024], True),  # one header is enough for BuildKit's tar reader
        (gzip.compress(_tar()), True),
        (bz2.compress(_tar()), True),
        (lzma.compress(_tar()), True),
        (b"\x28\xb5\x2f\xfd" + bytes(20), True),  # zstd: not decompressed, assumed
        (gzip.compress(b"plain text\n" * 100), False),  # compressed, but not a tar
        (b"\x1f\x8b\x08" + b"garbage" * 10, True),  # unreadable: ADD is kept
        (b"hello\n" * 200, False),
        (bytes(1024), False),  # zero blocks end an archive
        (b"x" * 100, False),
        (b"", False),
    ],
)
def test_archives(tmp_path: Path, content: bytes, archive: bool) -> None:
    path = tmp_path / "f"
    path.write_bytes(content)
    assert contextfiles.may_be_archive(path) is archive


def test_corrupted_checksum_is_not_a_tar(tmp_path: Path) -> None:
    data = bytearray(_tar())
    data[0] ^= 0x01  # the name changes, the stored checksum no longer matches
    path = tmp_path / "f"
    path.write_bytes(bytes(data))
    assert not contextfiles.may_be_archive(path)


@pytest.mark.parametrize(
    ("name", "archive"),
    [("a.tar", True), ("a.tar.gz", True), ("a.tgz", True), ("x/*", True), ("a.txt", False)],
)
def test_archive_names(name: str, archive: bool) -> None:
    assert contextfiles.archive_name(name) is archive


def test_size_and_small_reads(tmp_path: Path) -> None:
    root = tmp_path / "ctx"
    (root / "dir").mkdir(parents=True)
    (root / "dir" / "run.sh").write_text("#!/bin/sh\n")
    (root / "big.sh").write_text("x" * 100)
    (tmp_path / "outside").write_text("x")
    (root / "out").symlink_to(tmp_path / "outside")
    context = Context(root, Settings())
    assert contextfiles.size(context, "./dir/../dir/run.sh") == 10
    assert contextfiles.read_small(context, "dir/run.sh", 10) == "#!/bin/sh\n"
    assert contextfiles.read_small(context, "big.sh", 99) is None  # too large: not read
    assert "big.sh" not in context.files
    assert contextfiles.size(context, "dir") is None
    assert contextfiles.read_small(context, "out", 100) is None  # leads out of the context
    assert contextfiles.size(context, "absent") is None
    assert contextfiles.clean("./a/../../b/") == "b" and contextfiles.clean("/") == ""
    assert context.probes["size:big.sh"] == 100  # recorded for the result cache


def test_glob_keeps_out_of_dependency_and_dot_folders(tmp_path: Path) -> None:
    for path in (
        "setup.py",
        "pkg/setup.py",
        "libs/a/setup.py",
        "node_modules/x/setup.py",
        ".venv/y/setup.py",
        "libs/.hidden/setup.py",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    (tmp_path / "libs" / "b").mkdir()
    context = Context(tmp_path, Settings())
    assert context.glob("setup.py") == ("setup.py",)
    assert context.glob("*/setup.py") == ("pkg/setup.py",)
    assert context.glob("*/*/setup.py") == ("libs/a/setup.py",)
    assert context.glob("*/*/*.py") == ("libs/a/setup.py",)
    assert context.glob("[lp]*/setup.py") == ("pkg/setup.py",)
    assert Context(None, Settings()).glob("*.py") == ()


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("Dockerfile.prod", "Dockerfile.*"),
        ("Dockerfile", "Dockerfile.*"),
        ("api.Dockerfile", "*.Dockerfile"),
        ("a.b.c", "*.*"),
        ("ab", "a*b*"),
        ("aXbYb", "a*b*b"),
        ("ab", "a*bb"),
        ("setup.py", "setup.py"),
        ("req.txt", "requirements*.txt"),
        ("requirements-dev.txt", "requirements*.txt"),
        ("x1", "x?"),
        ("xa", "x[0-9]"),
    ],
)
def test_name_matches_agrees_with_fnmatch(name: str, pattern: str) -> None:
    from fnmatch import fnmatchcase

    from dockfix.rule import name_matches

    assert name_matches(name, pattern) == fnmatchcase(name, pattern)


def _glob(root: Path, pattern: str) -> tuple[str, ...]:
    """A fresh Context's glob, as each file of a bulk run gets its own."""
    return Context(build_context=root, settings=Settings()).glob(pattern)


def test_glob_sees_a_file_added_right_after_a_listing(tmp_path: Path) -> None:
    # The folder changed a moment ago: its listing is not kept across files,
    # however coarse the file system's clock.
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "setup.py").write_text("")
    assert _glob(tmp_path, "*/setup.py") == ("app/setup.py",)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "setup.py").write_text("")
    assert _glob(tmp_path, "*/setup.py") == ("app/setup.py", "lib/setup.py")


def test_glob_keeps_an_old_folder_listing_until_the_folder_changes(tmp_path: Path) -> None:
    import os

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "pyproject.toml").write_text("")
    old = 1_600_000_000_000_000_000  # 2020: long unchanged, as in a checked-out repository
    for folder in (tmp_path, tmp_path / "app"):
        os.utime(folder, ns=(old, old))
    assert _glob(tmp_path, "*/pyproject.toml") == ("app/pyproject.toml",)
    (tmp_path / "app" / "pyproject.toml").unlink()  # changes app's modification time
    assert _glob(tmp_path, "*/pyproject.toml") == ()
