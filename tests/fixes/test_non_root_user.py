"""non-root-user beside the fixes that change what it decides on, and the
parts of its post-condition the snapshot cases cannot show."""

from __future__ import annotations

from pathlib import Path

import dockfix
from dockfix import engine
from dockfix.config import settings_for
from dockfix.registry import lookup
from dockfix.rule import Context

PYPROJECT = (
    '[project]\nname = "tool"\nversion = "1"\n\n[project.scripts]\nmytool = "tool.cli:main"\n'
)
NO_CMD = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n"


def _run(folder: Path, names: list[str]) -> engine.Result:
    text = (folder / "Dockerfile").read_text(encoding="utf-8")
    settings = settings_for(folder).with_cli(unsafe_fixes=True)
    context = Context(folder, settings, dockerfile=folder / "Dockerfile")
    return engine.run(dockfix.parse(text), [lookup(n) for n in names], context, unsafe=True)


def test_no_cmd_is_a_base_image_and_gets_no_user(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(NO_CMD, encoding="utf-8")
    result = _run(tmp_path, ["non-root-user"])
    assert result.code == NO_CMD
    ((finding, _),) = result.remaining
    assert finding.fix is None and "no CMD or ENTRYPOINT" in finding.message


def test_a_cmd_missing_cmd_adds_is_seen_in_the_next_round(tmp_path: Path) -> None:
    """missing-cmd (DF010) runs after non-root-user (DF009) in a round: the
    first round leaves the stage alone (no CMD yet), the next one sees the CMD
    that missing-cmd inferred from the project and adds the user before it."""
    (tmp_path / "Dockerfile").write_text(NO_CMD, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = _run(tmp_path, ["non-root-user", "missing-cmd"])
    assert result.code.endswith('RUN pip install .\nUSER 10001:10001\nCMD ["mytool"]\n')
    assert {a.finding.rule.name for a in result.applied} == {"non-root-user", "missing-cmd"}
    assert not result.remaining
