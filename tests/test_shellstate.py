"""What a command leaves for the next one in the same shell, and what stops
`&&` from tying it to the ones before (dockfix.shellstate)."""

from __future__ import annotations

import pytest

from dockfix.shell import lexemes
from dockfix.shellstate import carries_state, own_operator, without_final_semicolon


def test_lexemes_tell_operators_from_words_that_read_alike() -> None:
    found = lexemes("find . -exec rm {} \\; ';' && a; b")
    assert found is not None
    assert [t for t, op in found if op] == ["&&", ";"]
    assert [t for t, op in found if not op].count(";") == 2


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("apt-get install -y curl", None),
        ("find /tmp -name a -exec rm {} \\;", None),
        ("find /tmp -exec rm '{}' ';'", None),
        ("a && b || c", "its own `||`"),
        ("a; b", "its own `;`"),
        ("a & b", "its own `&`"),
        ("echo 'a; b || c'", None),
        # The operators of a compound command are its own: `&&` ties it whole.
        ("if [ -e a ]; then b; else c || d; fi && e", None),
        ("case $a in x) b; c ;; *) d ;; esac && e", None),
        ("(a; b) && { c; d; } && for f in x; do g; done", None),
        ("(a; b) || c", "its own `||`"),
        ("case $a in x) b ;; esac; c", "its own `;`"),
    ],
)
def test_own_operator(text: str, why: str | None) -> None:
    assert own_operator(text) == why


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("make install", None),
        ("find . -exec strip {} \\;", None),
        ("make;", "a trailing operator"),
        ("make &&", "a trailing operator"),
        ("cd /src", "`cd`, whose effect the commands after it would see"),
        ("FOO=1", "`FOO=…`, which the commands after it would see"),
        ("sleep 5 &", "a background job"),
        ("f() { :; }", "a function definition"),
        ("make # done", "a comment at its end"),
    ],
)
def test_carries_state(text: str, why: str | None) -> None:
    assert carries_state(text) == why


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("mkdir -p /x;", "mkdir -p /x"),
        ("mkdir -p /x ;  ", "mkdir -p /x"),
        ("a; b;", "a; b"),
        ("find . -exec rm {} \\;", "find . -exec rm {} \\;"),
        ("find . -exec rm {} ';'", "find . -exec rm {} ';'"),
        ("if a; then b; fi;", "if a; then b; fi;"),
        ("make", "make"),
    ],
)
def test_without_final_semicolon(text: str, kept: str) -> None:
    assert without_final_semicolon(text) == kept


def test_a_for_loop_leaves_its_variable_set() -> None:
    assert carries_state("for i in a b; do echo $i; done") == (
        "`for i`, whose variable the commands after it would see"
    )
