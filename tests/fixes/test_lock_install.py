"""lock-install's post-condition catches a rewrite that changes more than installs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

import dockfix
from dockfix import engine
from dockfix.build import instruction
from dockfix.config import Settings
from dockfix.registry import FixModule, lookup
from dockfix.rule import Context, Edit, Finding
from dockfix.tree import Dockerfile

CASE = Path(__file__).parent / "cases" / "lock_install" / "uv_editable"


def _context() -> Context:
    return Context(CASE, Settings(), dockerfile=CASE / "Dockerfile")


def test_the_real_fix_passes_its_postcondition() -> None:
    tree = dockfix.parse((CASE / "Dockerfile").read_text())
    result = engine.run(tree, [lookup("lock-install")], _context(), unsafe=True)
    assert "uv sync --locked --no-dev" in result.code


def test_a_rewrite_that_also_changes_cmd_is_caught() -> None:
    real = lookup("lock-install")

    def wrong(tree: Dockerfile, context: Context) -> Iterator[Finding]:
        for finding in real.check(tree, context):
            assert finding.fix is not None
            cmd = next(i for i in tree.instructions if i.keyword == "cmd")
            # The lock install, plus a CMD that quietly changed.
            extra = Edit((cmd,), (instruction('CMD ["python"]\n'),))
            yield dataclasses.replace(
                finding, fix=dataclasses.replace(finding.fix, edits=(*finding.fix.edits, extra))
            )

    broken = FixModule(real.rule, wrong, real.doc)
    tree = dockfix.parse((CASE / "Dockerfile").read_text())
    with pytest.raises(engine.InternalError) as info:
        engine.run(tree, [broken], _context(), unsafe=True)
    assert info.value.fix == "lock-install"
    # The CMD shows in the image's history before its config is compared.
    assert "the image history differs" in info.value.reason
