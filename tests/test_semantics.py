"""The model of what BuildKit builds, which fixes' post-conditions compare."""

from __future__ import annotations

import pytest

from dockfix.parser import parse
from dockfix.semantics import differences, keeps, model
from dockfix.words import WordError, process_word, unknown


def _diff(before: str, after: str, *allowed: str) -> str | None:
    return differences(model(parse(before)), model(parse(after)), allowed)


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("plain", {}, "plain"),
        ('"a b"', {}, "a b"),
        ("'$A'", {"A": "x"}, "$A"),
        ('"$A"/bin', {"A": "x"}, "x/bin"),
        ("a\\ b", {}, "a b"),
        ('"a\\"b\\q"', {}, 'a"b\\q'),
        ("${A:-d}", {}, "d"),
        ("${A:-d}", {"A": ""}, "d"),
        ("${A-d}", {"A": ""}, ""),
        ("${A:+y}", {"A": "x"}, "y"),
        ("${A:+y}", {}, ""),
        ("${A#*/}", {"A": "a/b/c"}, "b/c"),
        ("${A##*/}", {"A": "a/b/c"}, "c"),
        ("${A%/*}", {"A": "a/b/c"}, "a/b"),
        ("${A%%/*}", {"A": "a/b/c"}, "a"),
        ("${A/b/X}", {"A": "abcb"}, "aXcb"),
        ("${A//b/X}", {"A": "abcb"}, "aXcX"),
        ("$UNSET-x", {}, "-x"),
        ("cost: $", {}, "cost: $"),
    ],
)
def test_process_word(text: str, env: dict[str, str], expected: str) -> None:
    assert process_word(text, env.get) == expected


def test_backtick_escape() -> None:
    assert process_word("a` b\\c", {}.get, escape="`") == "a b\\c"


def test_unknown_values_stay_opaque() -> None:
    token = unknown("arg:V")
    assert process_word("${V:-x}", {"V": token}.get) != process_word("${V:-y}", {"V": token}.get)
    assert process_word("$V", {"V": token}.get) == token


@pytest.mark.parametrize("text", ['"open', "'open", "${A", "${A:?must be set}"])
def test_errors(text: str) -> None:
    with pytest.raises(WordError):
        process_word(text, {}.get)


def test_env_merge_that_changes_a_value_is_caught() -> None:
    before = "FROM alpine\nENV A=/x\nENV PATH=$A/bin:$PATH\n"
    after = "FROM alpine\nENV A=/x PATH=$A/bin:$PATH\n"
    assert _diff(before, after, "history") == "stage 1: the image config's env differs"


def test_env_merge_that_keeps_values() -> None:
    before = "FROM alpine\nENV A=1\nENV B=2\nRUN env\n"
    after = "FROM alpine\nENV A=1 B=2\nRUN env\n"
    assert _diff(before, after, "history") is None
    assert _diff(before, after) == "stage 1: the image history differs"


def test_spelling_changes_are_invisible() -> None:
    before = (
        "from golang AS Builder\nenv K v w\nlabel a b\nworkdir /src\nrun make\n"
        "FROM --platform=$TARGETPLATFORM alpine\nCOPY --from=Builder /src/app ./\n"
        "RUN --mount=type=cache,target=/c,from=Builder true\n"
    )
    after = (
        "FROM golang AS builder\nENV K='v w'\nLABEL a=b\nWORKDIR /src\nRUN make\n"
        "FROM alpine\nCOPY --from=builder /src/app ./\n"
        "RUN --mount=type=cache,target=/c,from=builder true\n"
    )
    assert _diff(before, after) is None


def test_a_changed_command_is_caught() -> None:
    assert _diff("FROM a\nRUN make\n", "FROM a\nRUN make all\n") == (
        "stage 1: the build steps differ (run step)"
    )


def test_relative_workdir() -> None:
    relative = "FROM a\nWORKDIR /app\nWORKDIR src\n"
    assert _diff(relative, "FROM a\nWORKDIR /app\nWORKDIR /app/src\n") is None
    # Without an earlier WORKDIR the base image's folder is unknown.
    assert _diff("FROM a\nWORKDIR src\n", "FROM a\nWORKDIR /src\n") is not None
    assert _diff("FROM scratch\nWORKDIR src\n", "FROM scratch\nWORKDIR /src\n") is None


def test_entrypoint_resets_an_inherited_cmd_only() -> None:
    # The first CMD is dead: the second replaces it.
    assert _diff("FROM a\nCMD x\nCMD y\n", "FROM a\nCMD y\n", "history") is None
    # ENTRYPOINT keeps a CMD set in the same stage, so that CMD is not dead.
    assert _diff('FROM a\nCMD x\nENTRYPOINT ["e"]\n', 'FROM a\nENTRYPOINT ["e"]\n', "history")
    # The JSON form changes only the config.
    json_form = 'FROM a\nCMD ["run"]\n'
    assert _diff("FROM a\nCMD run\n", json_form) == "stage 1: the image history differs"
    assert _diff("FROM a\nCMD run\n", json_form, "history", "config.cmd") is None


def test_arg_values_are_unknown() -> None:
    before = "ARG V=1\nFROM img:$V\nARG W=2\nRUN echo\n"
    assert _diff(before, "ARG V=1\nFROM img:1\nARG W=2\nRUN echo\n") is not None
    assert _diff(before, "ARG V=1\nFROM img:$V\nARG W=3\nRUN echo\n") is not None
    assert _diff(before, 'ARG V=1\nFROM img:${V}\nARG W="2"\nRUN echo\n') is None


def test_keeps_is_a_postcondition() -> None:
    before, after = parse("FROM a\nCMD x\n"), parse("FROM a\nCMD y\n")
    assert keeps()(before, after) is not None
    assert keeps("config.cmd", "history")(before, after) is None
