"""Before/after snapshot cases for every fix.

A case is `tests/fixes/cases/<fix_name>/<case>.Dockerfile`, or a folder
`tests/fixes/cases/<fix_name>/<case>/` holding a `Dockerfile` and the rest of
its build context (pyproject.toml, uv.lock, .dockerignore, ...), real files on
disk. A case folder may instead hold its one `Dockerfile` in a subfolder
(`<case>/docker/Dockerfile`): its build context is then located as the
command line locates it when `--build-context` is not given
(`dockfix.buildcontext`), looking no higher than the case folder. The
snapshot `tests/fixes/snapshots/<fix_name>/<case>.txt` records the findings,
the output with safe fixes and the output with --unsafe-fixes. Only the fix
under test runs. Update snapshots with `pytest --snapshot-update`.

Every output is also checked to parse, to round-trip, and to be stable under a
second run (the engine's safety net enforces the rest).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dockfix
from dockfix import engine
from dockfix.config import Settings, settings_for
from dockfix.core import context_for
from dockfix.images import declared_shells
from dockfix.registry import all_fixes, lookup
from dockfix.rule import Context
from tests.conftest import read_exact

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"


def _cases() -> list[tuple[str, Path]]:
    found = []
    for folder in sorted(CASES.iterdir()):
        for case in sorted(folder.iterdir()):
            if case.suffix == ".Dockerfile" or (case.is_dir() and _dockerfile(case)):
                found.append((folder.name, case))
    return found


def _dockerfile(case: Path) -> Path | None:
    """The case folder's Dockerfile: at its root, or its one Dockerfile below."""
    if (case / "Dockerfile").is_file():
        return case / "Dockerfile"
    below = sorted(case.rglob("Dockerfile"))
    return below[0] if len(below) == 1 else None


def _case_id(item: tuple[str, Path]) -> str:
    return f"{item[0]}/{item[1].name}"


def _load(case: Path) -> tuple[str, Path]:
    if case.is_dir():
        dockerfile = _dockerfile(case)
        assert dockerfile is not None
        return read_exact(dockerfile), case
    return read_exact(case), case.parent


def _context(
    tree: dockfix.Dockerfile, context: Path, settings: Settings, created: dict[str, str] | None
) -> Context:
    """The fixes' context: the case folder (or the cases' folder) as given, or,
    for a Dockerfile in a subfolder of its case, located from there."""
    dockerfile = _dockerfile(context) if context.is_dir() and context in _CASE_DIRS else None
    if dockerfile is not None and dockerfile.parent != context:
        found = context_for(tree, settings, dockerfile, ceiling=context)
    else:
        found = Context(context, settings, dockerfile=context / "Dockerfile")
    found.files.update(created or {})
    return found


_CASE_DIRS = {case for _, case in _cases() if case.is_dir()}


def _run(
    text: str, fix_name: str, context: Path, unsafe: bool, created: dict[str, str] | None = None
) -> engine.Result:
    """Run one fix; `created` stands for files an earlier run created."""
    fix = lookup(fix_name.replace("_", "-"))
    settings = settings_for(context).with_cli(unsafe_fixes=unsafe)
    tree = dockfix.parse(text)
    with declared_shells(settings.image_shells):  # as dockfix.core runs the fixes
        return engine.run(tree, [fix], _context(tree, context, settings, created), unsafe=unsafe)


def _render(text: str, fix_name: str, context: Path) -> str:
    fix = lookup(fix_name.replace("_", "-"))
    tree = dockfix.parse(text)
    settings = settings_for(context)
    context_ = _context(tree, context, settings, None)
    with declared_shells(settings.image_shells):
        found = engine.findings(tree, [fix], context_)
    lines = {id(loc.instruction): loc.start_line for loc in tree.located()}
    out = ["## findings\n"]
    for f in found:
        kind = "no fix" if f.fix is None else f.fix.safety.value
        out.append(f"{lines[id(f.node)]}:{f.column} {f.rule.code} {f.message} ({kind})\n")
    safe_result = _run(text, fix_name, context, unsafe=False)
    unsafe_result = _run(text, fix_name, context, unsafe=True)
    safe, unsafe = safe_result.code, unsafe_result.code
    out.append("## output\n" if safe == unsafe else "## output (safe fixes)\n")
    out.append(safe if safe != text else "(unchanged)\n")
    if unsafe != safe:
        out.append("\n## output (--unsafe-fixes)\n")
        out.append(unsafe)
    for label, result in (("", safe_result), (" (--unsafe-fixes)", unsafe_result)):
        for name, content in result.files.items():
            if label and name in safe_result.files:
                continue
            out.append(f"\n## new file {name}{label}\n{content}")
    return "".join(out).replace("\r", "␍")


@pytest.mark.parametrize(("fix_name", "case"), _cases(), ids=[_case_id(c) for c in _cases()])
def test_fix_case(fix_name: str, case: Path, snapshot: pytest.FixtureRequest) -> None:
    text, context = _load(case)
    rendered = _render(text, fix_name, context)
    snapshot.snapshot_dir = HERE / "snapshots" / fix_name  # type: ignore[attr-defined]
    snapshot.assert_match(rendered, case.name.removesuffix(".Dockerfile") + ".txt")  # type: ignore[attr-defined]
    for unsafe in (False, True):
        first = _run(text, fix_name, context, unsafe)
        output = first.code
        tree = dockfix.parse(output)
        assert tree.code == output
        again = _run(output, fix_name, context, unsafe, first.files)
        assert again.code == output, "a second run must change nothing"
        assert not again.applied


def test_every_fix_has_cases() -> None:
    with_cases = {folder.name.replace("_", "-") for folder in CASES.iterdir()}
    assert {f.name for f in all_fixes()} <= with_cases


def test_every_fix_documents_itself() -> None:
    for fix in all_fixes():
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety"):
            assert section in fix.doc, f"{fix.name} lacks {section}"
        assert fix.rule.code.startswith("DF") and fix.rule.name == fix.rule.name.lower()
