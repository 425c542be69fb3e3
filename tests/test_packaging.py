"""The built wheel carries the grammar, the generated parser and the fixes,
and works in a fresh virtual environment without lark installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

# `uv run` tells its own path in $UV; otherwise look on PATH.
UV = os.environ.get("UV") or shutil.which("uv")
pytestmark = pytest.mark.skipif(UV is None, reason="uv is needed to build")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [str(UV), "build", "--wheel", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("dockfix-*.whl")
    return found


def test_wheel_contains_grammar_parser_and_fixes(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "dockfix/grammar/dockerfile.lark" in names
    assert "dockfix/_lark_parser.py" in names
    assert "dockfix/fixes/__init__.py" in names
    fixes = {n for n in names if n.startswith("dockfix/fixes/") and n.endswith(".py")}
    assert fixes == {f"dockfix/fixes/{p.name}" for p in (ROOT / "fixes").glob("*.py")}


def test_wheel_installs_the_repository_script(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    scripts = {n for n in names if ".data/scripts/" in n}
    assert {n.rsplit("/", 1)[1] for n in scripts} == {"dockfix-repo"}
    (name,) = scripts
    shipped = zipfile.ZipFile(wheel).read(name)
    assert shipped == (ROOT / "scripts" / "dockfix-repo.sh").read_bytes()


def test_wheel_runs_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([str(UV), "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(UV), "pip", "install", "-q", "--python", str(python), str(wheel)],
        check=True,
        capture_output=True,
    )
    script = (
        "import dockfix, importlib.util;"
        "assert importlib.util.find_spec('lark') is None, 'lark must not be needed';"
        "t = dockfix.parse('FROM a\\nRUN <<EOF\\nx\\nEOF\\n');"
        "print(t.dump(), end='')"
    )
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == '(from "a")\n(run "<<EOF")\n'
    version = subprocess.run(
        [str(venv / "bin" / "dockfix"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip().startswith("dockfix ")


def test_generated_parser_matches_the_grammar() -> None:
    """The installed parser was generated from the grammar in this checkout."""
    sys.path.insert(0, str(ROOT / "grammar"))
    try:
        import build_parser
    finally:
        sys.path.pop(0)
    import dockfix._lark_parser as generated

    assert build_parser.grammar_hash() == generated.GRAMMAR_SHA256


def test_wheel_built_from_the_sdist_carries_grammar_and_fixes(tmp_path: Path) -> None:
    # `uv build` makes the sdist, then the wheel from it (links are not in sdists).
    subprocess.run(
        [str(UV), "build", "--out-dir", str(tmp_path), str(ROOT)], check=True, capture_output=True
    )
    (wheel,) = tmp_path.glob("dockfix-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "dockfix/grammar/dockerfile.lark" in names
    assert "dockfix/_lark_parser.py" in names
    assert {f"dockfix/fixes/{p.name}" for p in (ROOT / "fixes").glob("*.py")} <= names
