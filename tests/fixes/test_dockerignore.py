"""The dockerignore fix: every Dockerfile sharing a build context gets the
same new `.dockerignore` (it applies to all of them), whichever is fixed first."""

from __future__ import annotations

from pathlib import Path

import pytest

import dockfix
from dockfix.config import settings_for
from dockfix.registry import lookup
from dockfix.rule import Context, NewFile
from tests.conftest import read_exact

CASES = Path(__file__).resolve().parent / "cases" / "dockerignore"


def _new_file(root: Path, dockerfile: Path) -> str | None:
    fix = lookup("dockerignore")
    tree = dockfix.parse(read_exact(dockerfile))
    context = Context(root, settings_for(root), dockerfile=dockerfile)
    for finding in fix.check(tree, context):
        assert finding.fix is not None
        (created,) = finding.fix.files
        assert isinstance(created, NewFile)
        return created.content
    return None


@pytest.mark.parametrize(
    ("case", "names"),
    [
        ("sibling_dockerfiles", ("Dockerfile", "Dockerfile.release")),
        ("sibling_own_folder", ("docker/Dockerfile", "docker/Dockerfile.dev")),
    ],
)
def test_siblings_get_the_same_file(case: str, names: tuple[str, ...]) -> None:
    root = CASES / case
    contents = {_new_file(root, root / name) for name in names}
    assert len(contents) == 1
    (content,) = contents
    assert content is not None and ".git" not in content.splitlines()


def test_a_sibling_with_its_own_ignore_file_is_not_fixed_nor_counted() -> None:
    root = CASES / "sibling_dockerfiles"
    assert _new_file(root, root / "worker.Dockerfile") is None
    content = _new_file(root, root / "Dockerfile")
    assert content is not None and ".env" in content.splitlines()
