"""Fix triggers and the fixes' index (see dockfix.registry).

The engine does not run a fix on a file without any of its `TRIGGERS`, so a
wrong trigger would silently drop findings. These tests run each fix with
triggers on every snapshot case (of every fix), on those cases with the
fix's trigger words deleted, and on generated files: wherever the triggers
are absent, the fix must report nothing. And the engine must give the same
output and findings on every case with triggers as without them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import dockfix
from dockfix import engine, registry
from dockfix.config import settings_for
from dockfix.registry import FixModule, all_fixes, lookup, render_index, trigger_text
from dockfix.rule import Context
from tests.conftest import ROOT, read_exact
from tests.fixes.test_fixes_property import LINES

CASES = ROOT / "tests" / "fixes" / "cases"


def _case_texts() -> list[tuple[str, Path]]:
    found = []
    for folder in sorted(CASES.iterdir()):
        for case in sorted(folder.iterdir()):
            if case.suffix == ".Dockerfile":
                found.append((read_exact(case), case.parent))
            elif (case / "Dockerfile").is_file():
                found.append((read_exact(case / "Dockerfile"), case))
    return found


def _generated(context: Path, count: int = 300) -> list[tuple[str, Path]]:
    rng = random.Random(10)
    out = []
    for _ in range(count):
        lines = rng.choices(LINES, k=rng.randint(1, 12))
        newline = rng.choice(["\n", "\r\n"])
        text = "FROM python:3.12\n" + "\n".join(lines) + "\n"
        out.append((text.replace("\n", newline), context))
    return out


@pytest.fixture(scope="module")
def context_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("context")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "a"\nversion = "1"\ndependencies = ["gunicorn", "uvicorn"]\n'
    )
    (root / "requirements.txt").write_text("flask\n")
    (root / "uv.lock").write_text("version = 1\n")
    (root / "package.json").write_text('{"name": "a"}\n')
    (root / "package-lock.json").write_text("{}\n")
    return root


def _without(text: str, words: tuple[str, ...]) -> str:
    """`text` with every occurrence of `words` (any case) replaced."""
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.sub(pattern, "zq", text, flags=re.IGNORECASE)


def _texts(fix: FixModule, context: Path) -> Iterator[tuple[str, Path]]:
    for text, where in [*_case_texts(), *_generated(context)]:
        yield text, where
        yield _without(text, fix.triggers), where


def _violations(fix: FixModule, texts: Iterator[tuple[str, Path]]) -> list[str]:
    """Texts without `fix`'s triggers on which it reports something."""
    bad = []
    for text, where in texts:
        try:
            tree = dockfix.parse(text)
        except dockfix.ParseError:
            continue
        if fix.triggered(tree):
            continue
        context = Context(where, settings_for(where), dockerfile=where / "Dockerfile")
        found = list(fix.check(tree, context))
        if found:
            bad.append(f"{found[0].message!r} on:\n{text}")
    return bad


WITH_TRIGGERS = [f for f in all_fixes() if f.triggers]


@pytest.mark.parametrize("fix", WITH_TRIGGERS, ids=[f.name for f in WITH_TRIGGERS])
def test_no_finding_without_triggers(fix: FixModule, context_dir: Path) -> None:
    bad = _violations(fix, _texts(fix, context_dir))
    assert not bad, f"{fix.name} reported without its triggers {fix.triggers}: {bad[0]}"


def test_a_wrong_trigger_is_caught(context_dir: Path) -> None:
    real = lookup("apt-hygiene")
    wrong = FixModule(real.rule, real.check, real.doc, ("zzzz",))
    assert _violations(wrong, _texts(wrong, context_dir))


def test_triggers_change_no_result(context_dir: Path) -> None:
    """Every fix together, on every case and generated file: the same output
    and findings with triggers as with every fix run on every tree."""
    fixes = all_fixes()
    untriggered = [FixModule(f.rule, f.check, f.doc) for f in fixes]
    for text, where in [*_case_texts(), *_generated(context_dir, 100)]:
        try:
            tree = dockfix.parse(text)
        except dockfix.ParseError:
            continue
        results = []
        for chosen in (fixes, untriggered):
            context = Context(where, settings_for(where), dockerfile=where / "Dockerfile")
            try:
                run = engine.run(tree, chosen, context, unsafe=True)
            except engine.InternalError as e:
                results.append(("error", str(e), []))
                continue
            remaining = [(f.rule.code, f.message, line) for f, line in run.remaining]
            results.append((run.code, sorted(run.files.items()), remaining))
        assert results[0] == results[1], text


def test_trigger_text_joins_lines_and_drops_quotes() -> None:
    tree = dockfix.parse('FROM a\nRUN ap"t"-\\\n  # note\nget install x \\\n && w\\get y\n')
    text = trigger_text(tree)
    assert "apt-get" in text and "wget" in text
    backtick = dockfix.parse("# escape=`\nFROM a\nRUN yu`\nm install x\n")
    assert "yum" in trigger_text(backtick)


def test_index_is_up_to_date() -> None:
    index = ROOT / "src" / "dockfix" / "_fix_index.py"
    assert index.read_text(encoding="utf-8") == render_index(), (
        "run `uv run python scripts/fix_index.py`"
    )


def test_lazy_fixes_match_their_modules() -> None:
    for fix in all_fixes():
        module = __import__(f"dockfix.fixes.{_module_name(fix)}", fromlist=["RULE"])
        assert fix.rule == module.RULE
        assert fix.triggers == getattr(module, "TRIGGERS", ())
        assert fix.check is module.check


def _module_name(fix: FixModule) -> str:
    return fix.name.replace("-", "_")


def test_stale_index_entry_imports_the_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module whose source no longer matches the index is imported at once
    (its own RULE and TRIGGERS are used, not the index's)."""
    from dockfix import _fix_index

    entries = dict(_fix_index.FIXES)
    name = "apt_hygiene"
    entries[name] = (entries[name][0] ^ 1, *entries[name][1:])
    monkeypatch.setattr(_fix_index, "FIXES", entries)
    registry.all_fixes.cache_clear()
    try:
        fixes = {f.name: f for f in registry.all_fixes()}
        assert fixes["apt-hygiene"].loaded
        assert not fixes["merge-env"].loaded or fixes["merge-env"].check is not None
    finally:
        registry.all_fixes.cache_clear()
        registry._enabled.cache_clear()


def test_checksum_covers_only_the_declarations(tmp_path: Path) -> None:
    source = (ROOT / "fixes" / "apt_hygiene.py").read_text(encoding="utf-8")
    path = tmp_path / "fix.py"
    path.write_text(source, encoding="utf-8")
    before = registry._checksum(str(path))
    assert before is not None
    path.write_text(source + "\n\ndef helper() -> None:\n    pass\n", encoding="utf-8")
    assert registry._checksum(str(path)) == before  # logic elsewhere: entry still valid
    path.write_text(source.replace('TRIGGERS = ("apt",)', 'TRIGGERS = ("apt", "x")'))
    assert registry._checksum(str(path)) != before
    path.write_text(source.replace('name="apt-hygiene"', 'name="apt-hygiene2"'))
    assert registry._checksum(str(path)) != before
    path.write_text("x = 1\n")
    assert registry._checksum(str(path)) is None  # not a fix module: imported at once


_DECLARED = re.compile(rb"^RULE = Rule\(.*?^\)$|^TRIGGERS = [^\n]*", re.MULTILINE | re.DOTALL)


def test_declarations_are_found_as_the_regular_expression_finds_them() -> None:
    """`registry._declared` scans with `bytes.find`; it must find exactly what
    the regular expression it replaced finds, on every fix module and on
    texts made of the pieces that matter (line starts, unclosed statements,
    `)` lines with more after them, no final newline)."""
    sources = [path.read_bytes() for path in sorted((ROOT / "fixes").glob("*.py"))]
    pieces = [
        b"RULE = Rule(",
        b"TRIGGERS = ",
        b'("apt",)',
        b")",
        b"),",
        b"\n",
        b"\n)",
        b" RULE = Rule(",
        b"x",
        b"\n    code='DF001',",
    ]
    rng = random.Random(7)
    made = [b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))) for _ in range(5000)]
    for data in [*sources, *made, b"", b"RULE = Rule(\n)", b"TRIGGERS = "]:
        assert registry._declared(data) == _DECLARED.findall(data), data
