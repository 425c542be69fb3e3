"""The source document's example, end to end, in a real Django build context.

`dockfix --write --unsafe-fixes` must turn the example into a correct
Dockerfile that follows the document's advice and fixes its mistakes; the
expected result is reviewed by hand and kept beside the context.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dockfix
from tests.conftest import ROOT

EXAMPLES = ROOT / "tests" / "examples"
DOCKFIX = str(Path(sys.executable).parent / "dockfix")


def dockfix_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOCKFIX, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_django_example_end_to_end(tmp_path: Path) -> None:
    context = tmp_path / "django"
    shutil.copytree(EXAMPLES / "django", context)
    original = (context / "Dockerfile").read_text()

    diff = dockfix_cli("--diff", "--unsafe-fixes", "Dockerfile", cwd=context)
    assert diff.returncode == 1, diff.stderr
    done = dockfix_cli("--write", "--unsafe-fixes", "Dockerfile", cwd=context)
    assert done.returncode == 0, done.stderr + done.stdout

    fixed = (context / "Dockerfile").read_text()
    assert fixed == (EXAMPLES / "django-expected.Dockerfile.txt").read_text()
    assert (context / ".dockerignore").read_text() == (
        EXAMPLES / "django-expected.dockerignore.txt"
    ).read_text()

    # What the source document asks for, and where it was wrong:
    tree = dockfix.parse(fixed)
    keywords = [i.keyword for i in tree.instructions]
    assert keywords.count("env") == 1
    assert 'PATH="/opt/venv/bin:${PATH}"' in fixed
    assert "uv:latest" not in fixed and "ghcr.io/astral-sh/uv:0." in fixed
    # Installed from uv.lock (never from pyproject.toml's ranges), into the venv:
    assert "uv pip install" not in fixed and "-r pyproject.toml" not in fixed
    assert "UV_PROJECT_ENVIRONMENT=/opt/venv" in fixed
    full_copy = next(i for i in tree.instructions if i.reading.args[:1] == (".",))
    lock_copy = next(i for i in tree.instructions if "uv.lock" in i.reading.args)
    deps = next(i for i in tree.instructions if "--no-install-project" in i.reading.rest)
    project = next(i for i in tree.instructions if i.reading.rest == "uv sync --locked --no-dev")
    order = list(tree.instructions)
    assert order.index(lock_copy) < order.index(deps) < order.index(full_copy)
    assert order.index(full_copy) < order.index(project)
    assert "rm -rf /var/lib/apt/lists/*" in fixed
    assert order[-2].keyword == "user" and order[-2].reading.args == ("10001:10001",)
    assert order[-1].reading.args == (
        "gunicorn",
        "mysite.wsgi:application",
        "--bind",
        "0.0.0.0:8000",
    )

    # The diff is what --write did, and a second run changes nothing.
    work = tmp_path / "patched"
    shutil.copytree(EXAMPLES / "django", work)
    (work / "Dockerfile").write_text(original)
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "apply", "-"], cwd=work, input=diff.stdout, text=True, check=True)
    assert (work / "Dockerfile").read_text() == fixed
    assert (work / ".dockerignore").exists()
    again = dockfix_cli("--diff", "--unsafe-fixes", "Dockerfile", cwd=context)
    assert again.returncode == 0 and again.stdout == ""
