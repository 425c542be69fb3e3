"""The result cache: a second run reads it, and any input it depends on
(the Dockerfile, the build context files the fixes read, the settings)
makes it compute afresh."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

DOCKFIX = str(Path(sys.executable).parent / "dockfix")
EXAMPLE = Path(__file__).parent / "examples" / "django"


def dockfix(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DOCKFIX, "--no-progress", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def _entries(cwd: Path) -> list[Path]:
    return sorted((cwd / ".dockfix_cache").rglob("*.json"))


def _tamper(cwd: Path) -> None:
    """Mark every cached finding, so a run that reads the cache shows it."""
    for entry in _entries(cwd):
        data = json.loads(entry.read_text())
        for row in data["payload"]["remaining"]:
            row["message"] = "FROM THE CACHE"
        entry.write_text(json.dumps(data))


def _project(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "app")
    return tmp_path


def test_a_second_run_reads_the_cache(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    # Several ignored fixes: a set, which must key the same in every process.
    ignore = ("--ignore", "merge-env,python-env,pin-uv,DF012")
    first = dockfix(*ignore, "app/Dockerfile", cwd=cwd)
    assert first.returncode == 1 and "FROM THE CACHE" not in first.stdout
    assert len(_entries(cwd)) == 1
    assert (cwd / ".dockfix_cache" / ".gitignore").read_text().endswith("*\n")
    _tamper(cwd)
    second = dockfix(*ignore, "app/Dockerfile", cwd=cwd)
    assert "FROM THE CACHE" in second.stdout
    # Another mode (fixing rather than reporting) is another entry.
    assert "FROM THE CACHE" not in dockfix(*ignore, "--check", "app/Dockerfile", cwd=cwd).stdout


def test_a_changed_input_is_computed_afresh(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    dockfix("--unsafe-fixes", "app/Dockerfile", cwd=cwd)
    _tamper(cwd)
    # A build-context file a fix read (lock-install reads uv.lock).
    (cwd / "app" / "uv.lock").unlink()
    assert "FROM THE CACHE" not in dockfix("--unsafe-fixes", "app/Dockerfile", cwd=cwd).stdout
    _tamper(cwd)
    # A file a fix looked for by pattern (missing-cmd's wsgi.py files).
    other = cwd / "app" / "other"
    other.mkdir()
    (other / "wsgi.py").write_text((cwd / "app" / "mysite" / "wsgi.py").read_text())
    assert "FROM THE CACHE" not in dockfix("--unsafe-fixes", "app/Dockerfile", cwd=cwd).stdout
    _tamper(cwd)
    # The settings.
    out = dockfix("--unsafe-fixes", "--ignore", "merge-env", "app/Dockerfile", cwd=cwd).stdout
    assert "FROM THE CACHE" not in out
    # The Dockerfile itself.
    _tamper(cwd)
    with (cwd / "app" / "Dockerfile").open("a") as f:
        f.write("EXPOSE 8000\n")
    assert "FROM THE CACHE" not in dockfix("--unsafe-fixes", "app/Dockerfile", cwd=cwd).stdout


def test_write_from_the_cache_writes_the_same(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    original = (cwd / "app" / "Dockerfile").read_text()
    diff = dockfix("--diff", "--unsafe-fixes", "app/Dockerfile", cwd=cwd)
    assert diff.returncode == 1
    cached = dockfix("--diff", "--unsafe-fixes", "app/Dockerfile", cwd=cwd)
    assert cached.stdout == diff.stdout
    done = dockfix("--write", "--unsafe-fixes", "--no-cache", "app/Dockerfile", cwd=cwd)
    expected = (cwd / "app" / "Dockerfile").read_text()
    assert expected != original
    (cwd / "app" / "Dockerfile").write_text(original)
    (cwd / "app" / ".dockerignore").unlink()
    dockfix("--write", "--unsafe-fixes", "app/Dockerfile", cwd=cwd)  # fills the cache
    (cwd / "app" / "Dockerfile").write_text(original)
    (cwd / "app" / ".dockerignore").unlink()
    again = dockfix("--write", "--unsafe-fixes", "app/Dockerfile", cwd=cwd)
    assert again.returncode == done.returncode == 0
    assert (cwd / "app" / "Dockerfile").read_text() == expected
    assert (cwd / "app" / ".dockerignore").exists()


def test_no_cache_leaves_no_trace(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    dockfix("--no-cache", "app/Dockerfile", cwd=cwd)
    assert not (cwd / ".dockfix_cache").exists()
    dockfix("--cache-dir", "elsewhere", "app/Dockerfile", cwd=cwd)
    assert not (cwd / ".dockfix_cache").exists()
    assert list((cwd / "elsewhere").rglob("*.json"))


def test_a_file_a_fix_created_is_no_cached_input(tmp_path: Path) -> None:
    """A run that only creates `.dockerignore` (the Dockerfile stays as it is):
    the next run finds it on disk and has nothing left to do, rather than
    replaying the entry that created it."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.js").write_text("console.log(1)\n")  # not a folder of Dockerfiles only
    (tmp_path / "p" / "Dockerfile").write_text(
        'FROM node:20\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "a.js"]\n'
    )
    first = dockfix("--write", "--unsafe-fixes", "--select", "dockerignore", "p", cwd=tmp_path)
    assert first.returncode == 0 and (tmp_path / "p" / ".dockerignore").exists()
    again = dockfix("--diff", "--unsafe-fixes", "--select", "dockerignore", "p", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""


def test_a_context_located_from_hints_is_cached_and_located_again(tmp_path: Path) -> None:
    """A folder of Dockerfiles whose `make` finds the Makefile one folder up:
    the entry records the hints, so a second run reads it, and removing the
    Makefile (the context is then unknown) computes afresh."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "Makefile").write_text("all:\n\tgo build ./...\n")
    (tmp_path / "go.mod").write_text("module example.com/m\n")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text(
        "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN make\n"
    )
    first = dockfix("--unsafe-fixes", "docker/Dockerfile", cwd=tmp_path).stdout
    assert "(../, which holds `Makefile`, is the build context)" in first
    _tamper(tmp_path)
    assert "FROM THE CACHE" in dockfix("--unsafe-fixes", "docker/Dockerfile", cwd=tmp_path).stdout
    (tmp_path / "Makefile").unlink()
    again = dockfix("--unsafe-fixes", "docker/Dockerfile", cwd=tmp_path).stdout
    assert "FROM THE CACHE" not in again and "the build context is unknown" in again
