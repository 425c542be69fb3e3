"""BuildKit's own parser cases (../shared/conformance/buildkit): round trip,
dump, rejection and line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

import dockfix
from tests.conftest import BUILDKIT, read_exact


def _cases(kind: str) -> list[str]:
    folder = BUILDKIT / kind
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("case", _cases("testfiles"))
def test_positive_case_round_trips_and_dumps_like_buildkit(buildkit_dir: Path, case: str) -> None:
    text = read_exact(buildkit_dir / "testfiles" / case / "Dockerfile")
    expected = read_exact(buildkit_dir / "testfiles" / case / "result").replace("\r\n", "\n")
    tree = dockfix.parse(text)
    assert tree.code == text
    assert tree.dump() == expected


@pytest.mark.parametrize("case", _cases("testfiles-negative"))
def test_negative_case_is_rejected(buildkit_dir: Path, case: str) -> None:
    text = read_exact(buildkit_dir / "testfiles-negative" / case / "Dockerfile")
    with pytest.raises(dockfix.ParseError) as info:
        dockfix.parse(text)
    assert info.value.line >= 1
    assert info.value.message


def test_line_numbers_match_buildkit(buildkit_dir: Path) -> None:
    tree = dockfix.parse(read_exact(buildkit_dir / "testfile-line" / "Dockerfile"))
    spans = [(loc.start_line, loc.end_line) for loc in tree.located()]
    assert spans == [(5, 5), (11, 12), (17, 31)]


def test_there_are_cases_to_check() -> None:
    assert len(_cases("testfiles")) >= 30
    assert len(_cases("testfiles-negative")) >= 4
