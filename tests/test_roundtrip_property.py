"""Property: any Dockerfile-like text either round-trips exactly or raises
ParseError; never another exception, never a different text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockfix

FRAGMENTS = [
    "FROM",
    "from",
    "RUN",
    "run",
    "ENV",
    "LABEL",
    "ARG",
    "COPY",
    "ADD",
    "CMD",
    "ENTRYPOINT",
    "ONBUILD",
    "HEALTHCHECK",
    "SHELL",
    "USER",
    "WORKDIR",
    "EXPOSE",
    "VOLUME",
    "FROBNICATE",
    " ",
    "  ",
    "\t",
    "\\",
    "`",
    "\n",
    "\r\n",
    "\r",
    "\ufeff",
    "\xa0",
    "#",
    "# c",
    "=",
    "'",
    '"',
    "--mount=type=cache,target=/x",
    "--from=build",
    "--",
    "-",
    "[",
    "]",
    ",",
    '["a", "b"]',
    "[1]",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    '<<"E F"',
    "3<<X",
    "EOF",
    "\tEOF",
    "X",
    "$A",
    "${A:-b}",
    "${",
    "a=b",
    "KEY value",
    "NONE",
    "CMD",
    "&&",
    "|",
    "é",
    "☃",
    "\x00",
    "# escape=`",
    "# escape=\\",
    "# syntax=x",
    "# check=skip=all",
    "# escape=x",
]

texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
lines = st.lists(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map(" ".join),
    max_size=12,
).map(lambda ls: "\n".join(ls))


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
    check("FROM a\n" + text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_arbitrary_text_round_trips_or_raises_parse_error(text: str) -> None:
    check(text)
