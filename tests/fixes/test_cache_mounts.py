"""cache-mounts is opt-in, and its post-condition catches a rewrite that
changes more than RUN flags, commands and the environment."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

import dockfix
from dockfix import engine
from dockfix.config import settings_for
from dockfix.registry import FixModule, lookup
from dockfix.rule import Context, Edit, Finding
from dockfix.tree import Dockerfile

CASE = Path(__file__).parent / "cases" / "cache_mounts" / "apt_pip_uv"


def _context() -> Context:
    return Context(CASE, settings_for(CASE / "Dockerfile"), dockerfile=CASE / "Dockerfile")


def test_the_setting_turns_it_on() -> None:
    context = _context()
    assert context.settings.cache_mounts
    tree = dockfix.parse((CASE / "Dockerfile").read_text())
    result = engine.run(tree, [lookup("cache-mounts")], context, unsafe=True)
    assert "--mount=type=cache,target=/root/.cache/pip pip install -r" in result.code
    off = Context(CASE, dataclasses.replace(context.settings, cache_mounts=False))
    assert engine.findings(tree, [lookup("cache-mounts")], off) == []


def test_a_rewrite_that_also_changes_the_user_is_caught() -> None:
    real = lookup("cache-mounts")

    def wrong(tree: Dockerfile, context: Context) -> Iterator[Finding]:
        for finding in real.check(tree, context):
            assert finding.fix is not None
            user = next(i for i in tree.instructions if i.keyword == "user")
            extra = Edit((user,), ())  # drops `USER app`
            yield dataclasses.replace(
                finding, fix=dataclasses.replace(finding.fix, edits=(*finding.fix.edits, extra))
            )

    broken = FixModule(real.rule, wrong, real.doc)
    tree = dockfix.parse((CASE / "Dockerfile").read_text())
    with pytest.raises(engine.InternalError) as info:
        engine.run(tree, [broken], _context(), unsafe=True)
    assert info.value.fix == "cache-mounts"
    assert "post-condition" in info.value.reason
