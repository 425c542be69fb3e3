"""dockfix._codecache: the functions dataclasses writes, compiled once and kept."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import dockfix  # noqa: F401  (installs the cache)
from dockfix import _codecache


def _make() -> type:
    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: str = "a"
        z: list[int] = dataclasses.field(default_factory=list)

    return Point


def test_installed_by_import() -> None:
    assert dataclasses.exec is _codecache._exec  # type: ignore[attr-defined]


def test_classes_are_the_same_with_and_without_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    cached = _make()
    monkeypatch.delattr(dataclasses, "exec")
    plain = _make()
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__"):
        a, b = getattr(cached, name), getattr(plain, name)
        assert a.__code__.co_code == b.__code__.co_code, name
        assert a.__code__.co_filename == b.__code__.co_filename
        assert a.__annotations__ == b.__annotations__, name
    assert repr(cached(1)) == repr(plain(1))
    assert cached(1) == cached(1, "a", [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        cached(1).x = 2  # type: ignore[misc]


def test_unreadable_or_foreign_files_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.bin"
    monkeypatch.setattr(_codecache, "_path", lambda: str(path))
    assert _codecache._read() == ({}, {})  # missing
    path.write_bytes(b"garbage")
    assert _codecache._read() == ({}, {})  # another Python's (or not one at all)
    path.write_bytes(_codecache._magic() + b"\x00\x01")
    assert _codecache._read() == ({}, {})  # cut short


def test_written_once_then_read(tmp_path: Path) -> None:
    """A process writes what it compiled; the next one compiles nothing."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    script = (
        "import dockfix, dockfix.runner\n"
        "from dockfix import _codecache\n"
        f"_codecache._path = lambda: {str(tmp_path / 'c.bin')!r}\n"
        "_codecache._codes.clear(); _codecache._codes.update(_codecache._read()[0])\n"
        "_codecache._patterns.clear(); _codecache._patterns.update(_codecache._read()[1])\n"
        "_codecache._new = False\n"
        "import dockfix.lsp.analysis, re\n"
        "re.compile('a(?P<x>b)+c written once')\n"
        "print(_codecache._new)\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert first.stdout.strip() == "True", first.stderr
    assert (tmp_path / "c.bin").is_file()
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert again.stdout.strip() == "False", again.stderr
    quiet = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    (tmp_path / "c.bin").unlink()
    subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=quiet)
    assert not (tmp_path / "c.bin").exists()  # no bytecode writing: nothing written


PATTERNS = [
    (r"(?P<a>x+)(?i:y)|(?P<b>[^\s\d]{2,})\b\1?", 0),
    (r"^\s*#\s*(\w+)\s*=\s*(.+?)\s*$", re.MULTILINE),
    (r"a.b  # spaced", re.VERBOSE | re.DOTALL),
    (r"[à-ÿ]+", re.IGNORECASE),
    (rb"\x00+(?P<n>\d)", 0),
    (r"(?a)\w+", 0),
]


def test_patterns_are_the_same_with_and_without_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from re import _compiler  # type: ignore[attr-defined]

    monkeypatch.setattr(_codecache, "_ours", lambda namespace: True)  # kept, as dockfix's
    monkeypatch.setattr(_codecache, "_at_import", lambda frame: True)  # as a module's constant
    monkeypatch.setattr(_codecache, "_patterns", dict(_codecache._patterns))  # not saved

    assert _compiler.compile.__name__ == "compile_pattern"  # switched on here
    original = _compiler.compile.original
    for text, flags in PATTERNS:
        for _ in range(2):  # compiled, then from what was kept
            ours, theirs = _compiler.compile(text, flags), original(text, flags)
            assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (
                theirs.pattern,
                theirs.flags,
                theirs.groups,
                theirs.groupindex,
            )
            sample = "xxY ab1 xx àÉ # k = v" if isinstance(text, str) else b"\x00\x001 x"
            assert [m.span() for m in ours.finditer(sample)] == [  # type: ignore[arg-type]
                m.span()
                for m in theirs.finditer(sample)  # type: ignore[arg-type]
            ]
    with pytest.raises(re.error) as ours_error:
        _compiler.compile("(unclosed", 0)
    with pytest.raises(re.error) as their_error:
        original("(unclosed", 0)
    assert str(ours_error.value) == str(their_error.value)


def test_only_patterns_compiled_at_import_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module's constant is kept; a pattern a function builds at work (from
    a file's text) is not, so that the file every start reads stays small."""
    monkeypatch.setattr(_codecache, "_patterns", dict(_codecache._patterns))  # not saved
    namespace: dict[str, object] = {"__name__": "dockfix.example"}
    exec(  # the code of a module of dockfix's, as imported
        "import re\n"
        "CONSTANT = re.compile(r'kept-at-import-[0-9]+')\n"
        "def at_work(text):\n"
        "    return re.compile(re.escape(text) + '-built-at-work')\n",
        namespace,
    )
    at_work = namespace["at_work"]
    assert callable(at_work)
    at_work("RUN pip install x")
    kept = {pattern for pattern, _ in _codecache._patterns}
    assert "kept-at-import-[0-9]+" in kept
    assert not any(isinstance(p, str) and p.endswith("-built-at-work") for p in kept)


def test_only_dockfix_code_is_kept() -> None:
    assert _codecache._ours({"__name__": "dockfix.fixes.apt_hygiene"})
    assert _codecache._ours({"__name__": "dockfix"})
    assert not _codecache._ours({"__name__": "dockfixer"})
    assert not _codecache._ours({"__name__": "_pytest.main"})
    before = len(_codecache._codes)
    _make()  # a class of this test module: compiled, not kept
    assert len(_codecache._codes) == before


def test_inspect_is_not_imported_on_the_editor_path(tmp_path: Path) -> None:
    """`dataclasses` gets a stand-in for `inspect`: the editor path and every
    fix run without importing it; a class without a docstring still gets the
    one `dataclasses` writes (the real module is imported then), and any
    other `import inspect` gets the real module."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.12-slim\nENV A=1\nENV B=2\nRUN apt-get update && apt-get install -y curl\n"
        "RUN cd /tmp && pip install x | tee log\nCOPY a b /app\nCMD python app.py\n"
    )
    script = (
        "import io, sys\n"
        "from dockfix.fastpath import parse_stdin_args\n"
        "from dockfix.runner import run_stdin\n"
        "from dockfix import registry\n"
        "options = parse_stdin_args(['-', '--stdin-filename', sys.argv[1]])\n"
        "data = io.TextIOWrapper(io.BytesIO(open(sys.argv[1], 'rb').read()))\n"
        "out = io.StringIO()\n"
        "assert run_stdin(options, data, out) == 0\n"
        "assert 'ENV A=1' in out.getvalue()\n"
        "for fix in registry.all_fixes():\n"
        "    fix.load()\n"
        "print('inspect' in sys.modules)\n"
        "import dataclasses\n"
        "@dataclasses.dataclass\n"
        "class Bare:\n"
        "    x: int\n"
        "print(Bare.__doc__)\n"
        "import inspect\n"
        "print(type(inspect).__name__, inspect.isclass(Bare))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(dockerfile)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False", "Bare(x: int)", "module True"]
