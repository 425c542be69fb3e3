"""The engine's safety net catches broken fixes, and suppressions work.

The fixes here are deliberately wrong; each must end in an InternalError that
names it, and the CLI must then leave the file alone (tests/test_cli.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dockfix
from dockfix import engine
from dockfix.build import instruction
from dockfix.config import Settings
from dockfix.registry import FixModule, lookup
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.tree import Comment, Directive, Dockerfile

TEXT = "FROM alpine\nENV A=1\nRUN echo a\nRUN echo b\n"


def make_fix(name: str, check: object) -> FixModule:
    rule = Rule(code="DF999", name=name, summary="test", safety=Safety.SAFE)
    return FixModule(rule, check, "")  # type: ignore[arg-type]


def context() -> Context:
    return Context(None, Settings())


def first_run(tree: Dockerfile) -> object:
    return next(i for i in tree.instructions if i.keyword == "run")


def test_a_fix_whose_output_swallows_the_next_line_is_caught() -> None:
    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        run = first_run(tree)
        broken = instruction("RUN echo a \\\n")  # continues into the next RUN
        yield Finding(RULE, run, "x", Fix((Edit((run,), (broken,)),), Safety.SAFE))  # type: ignore[arg-type]

    RULE = make_fix("swallow", check).rule
    with pytest.raises(engine.InternalError) as info:
        engine.run(dockfix.parse(TEXT), [make_fix("swallow", check)], context())
    assert info.value.fix == "swallow"
    assert "do not parse as built" in info.value.reason


def test_a_fix_that_changes_an_unclaimed_instruction_is_caught() -> None:
    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        if tree.escape == "`":
            return
        run = first_run(tree)
        # Claims only the RUN, but inserts an escape directive that changes
        # how every other instruction reads.
        directive = Directive("# escape=`\n")
        yield Finding(rule, run, "x", Fix((Edit((), (directive,), after=None),), Safety.SAFE))  # type: ignore[arg-type]

    fix = make_fix("escape-changer", check)
    rule = fix.rule
    text = "FROM alpine\nRUN echo\nLABEL a=b\\ c=d\n"
    with pytest.raises(engine.InternalError) as info:
        engine.run(dockfix.parse(text), [fix], context())
    assert "did not claim" in info.value.reason


def test_a_fix_that_never_settles_is_caught() -> None:
    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        run = first_run(tree)
        grown = instruction(run.code.rstrip("\n") + " x\n")  # type: ignore[attr-defined]
        yield Finding(rule, run, "x", Fix((Edit((run,), (grown,)),), Safety.SAFE))  # type: ignore[arg-type]

    fix = make_fix("grower", check)
    rule = fix.rule
    with pytest.raises(engine.InternalError) as info:
        engine.run(dockfix.parse(TEXT), [fix], context())
    assert "did not settle" in info.value.reason
    assert info.value.fix == "grower"


def test_a_fix_that_crashes_is_an_internal_error_naming_it() -> None:
    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        instruction("ENV BROKEN\n")  # not a valid instruction: ParseError
        yield from ()

    with pytest.raises(engine.InternalError) as info:
        engine.run(dockfix.parse(TEXT), [make_fix("crasher", check)], context())
    assert info.value.fix == "crasher"


def test_unsafe_fixes_apply_only_when_asked() -> None:
    text = "FROM python:3.12\nRUN echo\n"
    fix = lookup("python-env")
    assert engine.run(dockfix.parse(text), [fix], context()).code == text
    fixed = engine.run(dockfix.parse(text), [fix], context(), unsafe=True).code
    assert "PYTHONUNBUFFERED=1" in fixed


@pytest.mark.parametrize(
    "pragma",
    [
        "# dockfix: ignore=merge-env",
        "# dockfix: ignore=DF001",
        "# dockfix: global ignore=merge-env",
        "# hadolint global ignore=DL3009,merge-env",
    ],
)
def test_suppression_comments_switch_a_fix_off(pragma: str) -> None:
    text = f"FROM alpine\n{pragma}\nENV A=1\nENV B=2\n"
    result = engine.run(dockfix.parse(text), [lookup("merge-env")], context())
    assert result.code == text
    assert not result.remaining


def test_hadolint_and_buildkit_names_suppress_related_fixes(tmp_path: Path) -> None:
    text = "FROM debian\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y x\n"
    result = engine.run(dockfix.parse(text), [lookup("apt-hygiene")], context())
    assert result.code == text
    check_directive = "# check=skip=DL3009\nFROM debian\nRUN apt-get install -y x\n"
    result = engine.run(dockfix.parse(check_directive), [lookup("apt-hygiene")], context())
    assert result.code == check_directive


def test_report_only_findings_remain() -> None:
    text = "FROM python:3.12\nRUN uv pip install --locked -r requirements.txt\n"
    result = engine.run(dockfix.parse(text), [lookup("uv-flags")], context(), unsafe=True)
    assert result.code == text
    assert [f.rule.name for f, _ in result.remaining] == ["uv-flags"]
    assert [line for _, line in result.remaining] == [2]


def test_check_skip_all_only_covers_fixes_related_to_buildkit_checks() -> None:
    body = "FROM alpine\nENV A=1\nENV B=2\nCMD app x\n"
    fixes = [lookup("merge-env"), lookup("json-args")]
    result = engine.run(dockfix.parse("# check=skip=all\n" + body), fixes, context())
    assert "ENV A=1 \\\n    B=2" in result.code  # merge-env has no BuildKit check
    assert "CMD app x" in result.code  # json-args is JSONArgsRecommended: skipped
    unskipped = engine.run(dockfix.parse(body), fixes, context())
    assert 'CMD ["app", "x"]' in unskipped.code


def test_dockfix_global_ignore_all() -> None:
    text = "FROM alpine\n# dockfix: global ignore=all\nENV A=1\nENV B=2\n"
    assert engine.run(dockfix.parse(text), [lookup("merge-env")], context()).code == text


def test_any_related_hadolint_rule_suppresses_a_fix() -> None:
    text = "FROM debian\n# hadolint ignore=DL3015\nRUN apt-get install curl\n"
    result = engine.run(dockfix.parse(text), [lookup("apt-hygiene")], context(), unsafe=True)
    assert result.code == text


def test_a_fix_whose_postcondition_fails_is_caught() -> None:
    from dockfix.semantics import keeps

    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        run = first_run(tree)
        if "make" in run.code:
            return
        # Claims a spelling change, but changes the command.
        wrong = instruction("RUN make\n")
        fix = Fix((Edit((run,), (wrong,)),), Safety.SAFE, postcondition=keeps())
        yield Finding(module.rule, run, "x", fix)  # type: ignore[arg-type]

    module = make_fix("wrong-spelling", check)
    with pytest.raises(engine.InternalError) as info:
        engine.run(dockfix.parse(TEXT), [module], context())
    assert info.value.fix == "wrong-spelling"
    assert info.value.reason == (
        "broke its post-condition: stage 1: the build steps differ (run step)"
    )


def test_a_postcondition_that_holds_lets_the_fix_apply() -> None:
    from dockfix.semantics import keeps

    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        run = first_run(tree)
        if run.keyword_as_written == "run":
            return
        lower = instruction("run echo a\n")
        fix = Fix((Edit((run,), (lower,)),), Safety.SAFE, postcondition=keeps())
        yield Finding(module.rule, run, "x", fix)  # type: ignore[arg-type]

    module = make_fix("lower-run", check)
    result = engine.run(dockfix.parse(TEXT), [module], context())
    assert result.code == "FROM alpine\nENV A=1\nrun echo a\nRUN echo b\n"


def test_a_check_comment_applies_to_the_instruction_below_only() -> None:
    # BuildKit merges a `# check=` comment into the linter of the instruction
    # below it; only the parser directive at the top covers the whole file.
    text = "FROM alpine\n# check=skip=JSONArgsRecommended\nCMD app x\nFROM alpine\nCMD app y\n"
    result = engine.run(dockfix.parse(text), [lookup("json-args")], context())
    assert "CMD app x\n" in result.code
    assert 'CMD ["app", "y"]' in result.code


HEREDOC = "FROM alpine\nRUN <<EOF\necho a\nEOF\nCOPY a /a\n"


def _inserting(keyword: str) -> FixModule:
    """A fix that puts a LABEL (or a comment) right after the heredoc RUN."""

    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        run = first_run(tree)
        if any(i.keyword == "label" for i in tree.instructions) or "# note" in tree.code:
            return
        new = instruction("LABEL x=y\n") if keyword == "label" else Comment("# note\n")
        fix = Fix((Edit((), (new,), after=run),), Safety.SAFE)
        yield Finding(module.rule, run, "x", fix)  # type: ignore[arg-type]

    module = make_fix(f"after-heredoc-{keyword}", check)
    return module


@pytest.mark.parametrize("keyword", ["label", "comment"])
def test_nothing_is_put_right_after_a_heredoc_terminator(keyword: str) -> None:
    result = engine.run(dockfix.parse(HEREDOC), [_inserting(keyword)], context())
    added = "LABEL x=y\n" if keyword == "label" else "# note\n"
    assert result.code == HEREDOC.replace("\nEOF\n", "\nEOF\n\n" + added)


def test_a_heredoc_directly_followed_in_the_input_stays_as_it_was() -> None:
    text = "FROM alpine\nRUN <<EOF\necho a\nEOF\nCOPY a /a\nENV A=1\n"

    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        env = tree.instructions[-1]
        if env.keyword_as_written == "env":
            return
        fix = Fix((Edit((env,), (instruction("env A=1\n"),)),), Safety.SAFE)
        yield Finding(module.rule, env, "x", fix)  # type: ignore[arg-type]

    module = make_fix("lower-env", check)
    result = engine.run(dockfix.parse(text), [module], context())
    assert result.code == text.replace("ENV", "env")
