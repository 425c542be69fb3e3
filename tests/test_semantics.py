"""The model of what BuildKit builds, which fixes' post-conditions compare."""

from __future__ import annotations

import pytest

from dockfix.parser import parse
from dockfix.semantics import BASE_WORKDIR, differences, keeps, model, points, resolve_workdir
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
        "FROM alpine\nCOPY --from=Builder /src/app ./\n"
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


def test_a_stage_arg_without_a_default_takes_the_global_one() -> None:
    # BuildKit gives `ARG V` in a stage the value of the global `ARG V=1`.
    before = "ARG V=1\nFROM a\nARG V\nRUN echo $V\n"
    assert _diff(before, "ARG V=2\nFROM a\nARG V\nRUN echo $V\n") is not None
    assert _diff(before, "ARG V=1\nFROM a\nARG V=1\nRUN echo $V\n") is None


def test_keeps_is_a_postcondition() -> None:
    before, after = parse("FROM a\nCMD x\n"), parse("FROM a\nCMD y\n")
    assert keeps()(before, after) is not None
    assert keeps("config.cmd", "history")(before, after) is None


def test_expose_as_buildkit_normalises_it() -> None:
    # convert_expose.go: the protocol is lower-cased, tcp by default, numbers
    # are integers and a range is one port each.
    before = "FROM a\nEXPOSE 80/TCP 53/UDP 8000-8001 0443\n"
    after = "FROM a\nEXPOSE 80/tcp 53/udp 8000-8001/tcp 443\n"
    assert _diff(before, after) is None
    assert _diff("FROM a\nEXPOSE 80\n", "FROM a\nEXPOSE 80/udp\n") is not None
    # ... but the history lists the ports in the order of the words as
    # written, sorted (parseExpose): `53/UDP` sorts before `53/tcp`, `53/udp` after.
    reordered = _diff("FROM a\nEXPOSE 53/UDP 53/tcp\n", "FROM a\nEXPOSE 53/udp 53/tcp\n")
    assert reordered == "stage 1: the image history differs"
    assert _diff("ARG P\nFROM a\nEXPOSE $P/TCP\n", "ARG P\nFROM a\nEXPOSE $P/tcp\n") is None
    assert _diff("FROM a\nARG P\nEXPOSE $P\n", "FROM a\nARG P\nEXPOSE $P/tcp\n") is not None


def test_from_finds_a_stage_by_its_lower_case_name_only() -> None:
    # addState looks `FROM Build` up as written among lower-cased stage
    # names: it is an image, while `COPY --from=Build` finds the stage.
    named = "FROM a AS Build\nRUN make\n"
    assert _diff(named + "FROM Build\n", named + "FROM build\n") is not None
    assert _diff("FROM a AS Build\nFROM build\n", "FROM a AS build\nFROM build\n") is None
    copy = "FROM b\nCOPY --from={} /x /y\n"
    assert _diff(named + copy.format("Build"), named + copy.format("build")) is None
    # `--from` may name a later stage, and a stage by its index.
    later = "FROM b\nCOPY --from={} /x /y\nFROM a AS Build\n"
    assert _diff(later.format("Build"), later.format("build")) is None
    assert _diff(named + copy.format("0"), named + copy.format("build")) is None


def test_an_explicit_target_platform_is_not_the_default() -> None:
    # Without --platform, a build with no platform given takes a
    # single-platform base image's own (autoDetectPlatform), and
    # --build-arg TARGETPLATFORM=... changes only the flag's value.
    flagged = "FROM --platform=$TARGETPLATFORM alpine\nRUN true\n"
    assert _diff(flagged, "FROM alpine\nRUN true\n") == "stage 1: the platform differs"
    assert _diff(flagged, "FROM alpine\nRUN true\n", "platform") is None
    assert _diff(flagged, "FROM --platform=${TARGETPLATFORM} alpine\nRUN true\n") is None


def test_onbuild_triggers_do_not_carry_over_to_a_child_stage() -> None:
    parent = "FROM a AS base\nONBUILD RUN x\n"
    assert _diff(parent + "FROM base\nRUN y\n", parent + "FROM base\nRUN y\n") is None
    models = model(parse(parent + "FROM base\n"))
    assert "onbuild" not in models.stages[1].config


def test_run_commands_may_differ_when_allowed_and_nothing_else() -> None:
    before = "FROM a\nENV X=1\nRUN yum install x\nCMD c\n"
    assert _diff(before, "FROM a\nENV X=1\nRUN yum install -y x\nCMD c\n", "run.command") is None
    # The flags, the environment, the steps around it still count.
    flagged = "FROM a\nENV X=1\nRUN --network=none yum install -y x\nCMD c\n"
    assert _diff(before, flagged, "run.command") is not None
    assert _diff(before, "FROM a\nENV X=2\nRUN yum install -y x\nCMD c\n", "run.command")
    assert _diff(before, "FROM a\nENV X=1\nRUN yum install -y x\nCMD d\n", "run.command")
    extra = "FROM a\nENV X=1\nRUN yum install x\nRUN yum clean all\nCMD c\n"
    assert _diff(before, extra, "run.command") is not None


def test_keeps_commands_checks_each_changed_script() -> None:
    from dockfix.semantics import keeps_commands

    seen: list[tuple[str, str]] = []

    def check(old: str, new: str) -> str | None:
        seen.append((old, new))
        return None if new == old + " -y" else "not just -y"

    condition = keeps_commands(check)
    before = parse("FROM a\nRUN yum install\nRUN echo same\n")
    assert condition(before, parse("FROM a\nRUN yum install -y\nRUN echo same\n")) is None
    assert seen == [("yum install", "yum install -y")]
    wrong = condition(before, parse("FROM a\nRUN yum install -y x\nRUN echo same\n"))
    assert wrong == "stage 1: not just -y"
    shell = condition(before, parse('FROM a\nSHELL ["/bin/bash", "-c"]\nRUN yum install -y\n'))
    assert shell is not None


def test_workdir_is_normalized_as_buildkit_does() -> None:
    # NormalizeWorkdir keeps an absolute path as written and cleans a joined one.
    assert _diff("FROM a\nWORKDIR /app/\n", "FROM a\nWORKDIR /app\n") is not None
    joined = "FROM a\nWORKDIR /app/\nWORKDIR src/\n"
    assert _diff(joined, "FROM a\nWORKDIR /app/\nWORKDIR /app/src\n") is None
    same = "FROM a\nWORKDIR /app/\nWORKDIR ./src/../lib/\n"
    assert _diff(same, "FROM a\nWORKDIR /app/\nWORKDIR /app/lib\n") is None
    # An empty path keeps the current folder.
    empty = "FROM scratch\nENV D=\nWORKDIR /x\nWORKDIR $D\n"
    assert _diff(empty, "FROM scratch\nENV D=\nWORKDIR /x\nWORKDIR /x\n") is None
    # A build argument may be set to anything: its WORKDIR is unknown.
    arg = "FROM scratch\nARG D\nWORKDIR /x\nWORKDIR $D\n"
    assert _diff(arg, "FROM scratch\nARG D\nWORKDIR /x\nWORKDIR /x\n") is not None


def test_parent_onbuild_triggers_run_first_in_a_child_stage() -> None:
    parent = "FROM scratch AS a\nWORKDIR /app\nONBUILD WORKDIR /srv\n"
    # In stage b the trigger moved to /srv before `WORKDIR sub` runs.
    relative = parent + "FROM a\nWORKDIR sub\n"
    assert _diff(relative, parent + "FROM a\nWORKDIR /srv/sub\n") is None
    assert _diff(relative, parent + "FROM a\nWORKDIR /app/sub\n") is not None
    # ONBUILD does not carry over into the child's config.
    child = model(parse(parent + "FROM a\n")).stages[1]
    assert "onbuild" not in child.config


def test_points_tell_what_is_in_force() -> None:
    tree = parse("FROM scratch AS a\nENV A=1\nWORKDIR /x\nFROM a\nWORKDIR y\n")
    found = points(tree)
    nodes = tree.instructions
    assert found[id(nodes[1])].workdir == "/" and not found[id(nodes[1])].workdir_set
    last = found[id(nodes[4])]
    assert (last.stage, last.workdir, last.workdir_set) == (1, "/x", True)
    assert last.word("$A/$PATH") != last.word("$A/x") and last.word("$A") == "1"
    assert not last.base_env_unknown and last.lookup("NOPE") is None
    image = points(parse("FROM alpine\nRUN true\n"))
    assert next(iter(image.values())).lookup("HOME") is not None


def test_a_child_stage_sees_the_parents_args() -> None:
    tree = parse("FROM scratch AS base\nARG foo=Dockerfile\nFROM base\nCOPY $foo .\n")
    point = points(tree, defaults=True)[id(tree.instructions[3])]
    assert point.word("$foo") == "Dockerfile" and "foo" in point.declared
    # Without --build-arg the default is used; with it, anything: unknown.
    assert points(tree)[id(tree.instructions[3])].word("$foo") != "Dockerfile"


def test_the_healthcheck_type_is_read_in_upper_case() -> None:
    # parseHealthcheck: typ := strings.ToUpper(req.args[0])
    before = "FROM a\nHEALTHCHECK --interval=5s cmd curl -f http://x/\n"
    assert _diff(before, "FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://x/\n") is None
    assert _diff("FROM a\nHEALTHCHECK none\n", "FROM a\nHEALTHCHECK NONE\n") is None
    assert _diff(before, "FROM a\nHEALTHCHECK --interval=5s CMD curl http://x/\n") is not None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("app", "/app"),
        ("./app/", "/app"),
        (".", ""),
        ("a/./b//", "/a/b"),
        ("../srv", "/../srv"),  # climbs into the unknown folder: left as written
    ],
)
def test_relative_workdir_on_an_unknown_folder_is_cleaned(path: str, expected: str) -> None:
    """`WORKDIR path` on a base image whose folder is not known: the join is
    cleaned as BuildKit cleans it, unless `..` climbs into the unknown part."""
    assert resolve_workdir(BASE_WORKDIR, path) == BASE_WORKDIR + expected


def test_a_lone_heredoc_runs_as_the_shell_script() -> None:
    # BuildKit hands the body of `RUN <<EOF` to the shell (`sh -c BODY`): the
    # same step as a shell-form RUN of that text, whatever the heredoc's name.
    heredoc = model(parse("FROM debian\nRUN <<EOF\napt-get update\nls\nEOF\n"))
    quoted = model(parse("FROM debian\nRUN <<'END'\napt-get update\nls\nEND\n"))
    step = heredoc.stages[0].steps[0]
    assert step[1] == ("/bin/sh", "-c", "apt-get update\nls\n") and step[-1] == ()
    assert differences(heredoc, quoted) is None
    # A body with `#!` runs as a file; a heredoc given to a command is its
    # standard input; `<<-` strips tabs: all keep their heredoc.
    for text in (
        "RUN <<EOF\n#!/bin/bash\nls\nEOF\n",
        "RUN bash <<EOF\nls\nEOF\n",
        "RUN <<-EOF\n\tls\n\tEOF\n",
    ):
        other = model(parse(f"FROM debian\n{text}")).stages[0].steps[0]
        assert other[-1] != (), text
