"""`--check` keeps how many findings each file has, not the findings (which
it never prints), so that a run over many files stays flat in memory."""

from __future__ import annotations

from pathlib import Path

from dockfix.core import fix_text
from dockfix.options import Options
from dockfix.runner import process_path


def test_check_keeps_the_count_of_findings_only(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    text = "FROM alpine:3.20\nARG API_TOKEN\nENV A=1\nENV B=2\nUSER nobody\nCMD echo hi\n"
    path.write_text(text)
    expected = fix_text(text, path, build_context=tmp_path).findings
    check = process_path(str(path), Options(paths=(str(path),), check=True, no_cache=True))
    assert expected and len(check.remaining) == len(expected)
    assert len({id(row) for row in check.remaining}) == 1  # one shared placeholder
    assert check.changed and check.error is None
