"""BuildKit's own parser cases, vendored under tests/conformance/buildkit:
every positive case round-trips byte for byte and dumps exactly as BuildKit's
`result`, every negative case is rejected with a ParseError, and line numbers
agree. This covers, from inside the repository, what the conformance script
CI runs when a checkout of the shared material sits beside the project checks."""

from __future__ import annotations

from pathlib import Path

import pytest

import dockfix
from tests.conftest import BUILDKIT, read_exact

POSITIVE = BUILDKIT / "testfiles"
NEGATIVE = BUILDKIT / "testfiles-negative"

# The vendored copy holds this many cases; a lost case must fail, not vanish.
POSITIVE_COUNT = 33
NEGATIVE_COUNT = 4


def _cases(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir())


def _first_difference(got: str, expected: str) -> str:
    g, x = got.splitlines(), expected.splitlines()
    for i in range(max(len(g), len(x))):
        have = g[i] if i < len(g) else "<end>"
        want = x[i] if i < len(x) else "<end>"
        if have != want:
            return f"dump line {i + 1}: expected {want!r}, got {have!r}"
    return "dumps differ only in line endings or the final newline"


@pytest.mark.parametrize("case", _cases(POSITIVE))
def test_positive_case_round_trips_and_dumps_like_buildkit(case: str) -> None:
    text = read_exact(POSITIVE / case / "Dockerfile")
    expected = read_exact(POSITIVE / case / "result").replace("\r\n", "\n")
    tree = dockfix.parse(text)
    assert tree.code == text, "round trip differs"
    got = tree.dump()
    assert got == expected, _first_difference(got, expected)


@pytest.mark.parametrize("case", _cases(NEGATIVE))
def test_negative_case_is_rejected(case: str) -> None:
    text = read_exact(NEGATIVE / case / "Dockerfile")
    with pytest.raises(dockfix.ParseError) as info:
        dockfix.parse(text)
    assert info.value.line >= 1
    assert info.value.message


def test_line_numbers_match_buildkit() -> None:
    tree = dockfix.parse(read_exact(BUILDKIT / "testfile-line" / "Dockerfile"))
    spans = [(loc.start_line, loc.end_line) for loc in tree.located()]
    assert spans == [(5, 5), (11, 12), (17, 31)]


def test_every_vendored_case_is_collected() -> None:
    assert len(_cases(POSITIVE)) == POSITIVE_COUNT
    assert len(_cases(NEGATIVE)) == NEGATIVE_COUNT
    for case in _cases(POSITIVE):
        assert (POSITIVE / case / "Dockerfile").is_file(), case
        assert (POSITIVE / case / "result").is_file(), case
    for case in _cases(NEGATIVE):
        assert (NEGATIVE / case / "Dockerfile").is_file(), case


def test_the_vendored_cases_carry_their_licence_and_source() -> None:
    assert "Apache License" in (BUILDKIT / "LICENSE").read_text(encoding="utf-8")
    note = (BUILDKIT / "README.md").read_text(encoding="utf-8")
    assert "github.com/moby/buildkit" in note
