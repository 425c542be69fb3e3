"""Property: any Dockerfile-like text either round-trips exactly or raises
ParseError; never another exception, never a different text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockfix
from tests.dockerfile_text import lines, texts


def check(text: str) -> None:
    try:
        tree = dockfix.parse(text)
    except dockfix.ParseError as e:
        assert e.line >= 1 and e.column >= 1 and e.message
        return
    assert tree.code == text
    tree.dump()  # reading every instruction must not fail after a successful parse


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_fragment_soup_round_trips_or_raises_parse_error(text: str) -> None:
    check(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_line_soup_round_trips_or_raises_parse_error(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_arbitrary_text_round_trips_or_raises_parse_error(text: str) -> None:
    check(text)
