"""Each BuildKit spelling fix states a post-condition that catches a wrong
rewrite: a variant of the fix with a plausible bug, run through the engine,
must end in an InternalError naming the fix, and the real fix must not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

import dockfix
from dockfix import engine
from dockfix.build import instruction
from dockfix.config import Settings
from dockfix.editing import edit, remove_flag, with_code
from dockfix.registry import FixModule
from dockfix.rule import Context, Edit, Finding, Fix
from dockfix.tree import Dockerfile, Instruction
from fixes import (
    empty_continuation,
    expose_proto_casing,
    from_as_casing,
    instruction_casing,
    legacy_key_value,
    maintainer_label,
    redundant_target_platform,
    stage_name_casing,
)

Mutate = Callable[[Dockerfile, Instruction], Instruction]


def variant(module: ModuleType, keyword: str, mutate: Mutate) -> FixModule:
    """A buggy `module`: it rewrites every `keyword` instruction to
    `mutate(tree, node)`, under the real fix's name and post-condition."""
    postcondition = getattr(module, "POSTCONDITION", None) or module.postcondition

    def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
        for node in tree.instructions:
            if node.keyword != keyword:
                continue
            wrong = mutate(tree, node)
            if wrong.code == node.code:
                continue
            fix = Fix((Edit((node,), (wrong,)),), module.RULE.safety, postcondition=postcondition)
            yield Finding(module.RULE, node, "wrong", fix)

    return FixModule(module.RULE, check, "")


def run(text: str, fix: FixModule) -> engine.Result:
    return engine.run(dockfix.parse(text), [fix], Context(None, Settings()), unsafe=True)


def _legacy_quoted_naively(tree: Dockerfile, node: Instruction) -> Instruction:
    pair = node.reading.pairs[0]
    return instruction(f'{node.keyword_as_written} {pair.key}="{pair.value}"\n')


def _maintainer_unescaped(tree: Dockerfile, node: Instruction) -> Instruction:
    return instruction(f'LABEL {maintainer_label.AUTHORS}="{node.reading.args[0]}"\n')


def _casing_with_trigger(tree: Dockerfile, node: Instruction) -> Instruction:
    return with_code(node, node.code.upper() if node.keyword == "onbuild" else node.code)


def _as_casing_wrong_word(tree: Dockerfile, node: Instruction) -> Instruction:
    image = node.reading.words[0]
    return edit(node, image.span.start, image.span.end, image.text.upper())


def _stage_renames_from_too(tree: Dockerfile, node: Instruction) -> Instruction:
    return with_code(node, node.code.replace("Base", "base"))


def _empty_lines_and_next(tree: Dockerfile, node: Instruction) -> Instruction:
    lines = node.code.split("\n")
    blank = next(i for i, line in enumerate(lines) if i and not line.strip())
    return with_code(node, "\n".join(lines[:blank] + lines[blank + 2 :]))


def _expose_ignoring_order(tree: Dockerfile, node: Instruction) -> Instruction:
    return with_code(node, node.code.replace("/UDP", "/udp"))


def _any_platform(tree: Dockerfile, node: Instruction) -> Instruction:
    return remove_flag(node, "platform")


CASES = [
    # The value `C:\app x` reads as `C:app x`; naive quotes keep the backslash.
    (legacy_key_value, "env", _legacy_quoted_naively, "FROM a\nENV P C:\\app x\n", "history"),
    # `$USER` in MAINTAINER is literal; unescaped in a label it expands.
    (maintainer_label, "maintainer", _maintainer_unescaped, "FROM a\nMAINTAINER $USER\n", "labels"),
    # The image stores an ONBUILD trigger's text: its keyword must stay.
    (instruction_casing, "onbuild", _casing_with_trigger, "FROM a\nonbuild run y\n", "history"),
    # Recasing the image instead of `AS`.
    (from_as_casing, "from", _as_casing_wrong_word, "FROM img as b\n", "base image differs"),
    # `FROM Base` names an image for BuildKit; renaming it makes it the stage.
    (stage_name_casing, "from", _stage_renames_from_too, "FROM a AS base\nFROM Base\n", "base"),
    # Dropping the line after the empty one too.
    (
        empty_continuation,
        "run",
        _empty_lines_and_next,
        "FROM a\nRUN a \\\n\n  b \\\n  c\n",
        "build steps differ",
    ),
    # Lower case sorts after upper: the history's order of ports changes.
    (
        expose_proto_casing,
        "expose",
        _expose_ignoring_order,
        "FROM a\nEXPOSE 53/UDP 53/tcp\n",
        "history",
    ),
    # Any --platform is not the default, $BUILDPLATFORM least of all.
    (
        redundant_target_platform,
        "from",
        _any_platform,
        "FROM --platform=$BUILDPLATFORM a\n",
        "platform changed",
    ),
]


@pytest.mark.parametrize(
    ("module", "keyword", "mutate", "text", "why"), CASES, ids=[c[0].RULE.name for c in CASES]
)
def test_the_postcondition_catches_a_wrong_rewrite(
    module: ModuleType, keyword: str, mutate: Mutate, text: str, why: str
) -> None:
    with pytest.raises(engine.InternalError) as info:
        run(text, variant(module, keyword, mutate))
    assert info.value.fix == module.RULE.name
    assert info.value.reason.startswith("broke its post-condition")
    assert why in info.value.reason


GOOD = {
    "legacy-key-value": ("FROM a\nENV P C:\\app x\n", "FROM a\nENV P=C:\\app\\ x\n"),
    "maintainer-label": (
        "FROM a\nMAINTAINER $USER\n",
        'FROM a\nLABEL org.opencontainers.image.authors="\\$USER"\n',
    ),
    "instruction-casing": ("FROM a\nonbuild run y\n", "FROM a\nONBUILD run y\n"),
    "from-as-casing": ("FROM img as b\n", "FROM img AS b\n"),
    "stage-name-casing": ("FROM a AS Base\nFROM base\n", "FROM a AS base\nFROM base\n"),
    "empty-continuation": ("FROM a\nRUN a \\\n\n  b\n", "FROM a\nRUN a \\\n  b\n"),
    "expose-proto-casing": ("FROM a\nEXPOSE 53/UDP 80\n", "FROM a\nEXPOSE 53/udp 80\n"),
    "redundant-target-platform": ("FROM --platform=$TARGETPLATFORM a\n", "FROM a\n"),
}


@pytest.mark.parametrize("module", [c[0] for c in CASES], ids=[c[0].RULE.name for c in CASES])
def test_the_real_fix_keeps_its_postcondition(module: ModuleType) -> None:
    before, after = GOOD[module.RULE.name]
    result = run(before, FixModule(module.RULE, module.check, ""))
    assert result.code == after


def test_check_skip_switches_off_each_casing_fix_alone() -> None:
    # BuildKit names two checks; skipping one must leave the other's fix on.
    body = "FROM alpine AS base\nrun echo\nfrom base as final\nRUN echo\nFROM base as x\n"
    fixes = [FixModule(m.RULE, m.check, "") for m in (instruction_casing, from_as_casing)]
    context = Context(None, Settings())
    skip_as = engine.run(dockfix.parse("# check=skip=FromAsCasing\n" + body), fixes, context)
    assert skip_as.code == (
        "# check=skip=FromAsCasing\n"
        "FROM alpine AS base\nRUN echo\nFROM base AS final\nRUN echo\nFROM base as x\n"
    )
    skip_case = engine.run(
        dockfix.parse("# check=skip=ConsistentInstructionCasing\n" + body), fixes, context
    )
    assert skip_case.code == (
        "# check=skip=ConsistentInstructionCasing\n"
        "FROM alpine AS base\nrun echo\nfrom base as final\nRUN echo\nFROM base AS x\n"
    )
