"""Finding the fixes: every module in the `dockfix.fixes` package that defines
`RULE` and `check` is one. Adding a fix means adding one module."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from types import ModuleType

from dockfix.rule import Check, Rule


@dataclass(frozen=True)
class FixModule:
    rule: Rule
    check: Check
    doc: str  # What it does / Why is this bad? / Example / Fix safety

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def revealed(self) -> frozenset[str]:
        """The linter rules the doc names in backticks under `## Revealed
        findings` (hadolint's and shellcheck's codes, BuildKit's CamelCase check
        names): findings its intended change lets a linter see, not ones it adds."""
        import re

        section = re.search(r"^## Revealed findings\n(.*?)(?=^## |\Z)", self.doc, re.M | re.S)
        if section is None:
            return frozenset()
        names = re.findall(r"`(DL\d{4}|SC\d{4}|[A-Z][a-z]+[A-Z][A-Za-z]*)`", section.group(1))
        return frozenset(names)


def _load(module: ModuleType) -> FixModule | None:
    rule = getattr(module, "RULE", None)
    check = getattr(module, "check", None)
    if not isinstance(rule, Rule) or not callable(check):
        return None
    return FixModule(rule, check, (module.__doc__ or "").strip())


@cache
def all_fixes() -> tuple[FixModule, ...]:
    """Every fix, ordered by code."""
    import dockfix.fixes as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        loaded = _load(importlib.import_module(f"dockfix.fixes.{info.name}"))
        if loaded is not None:
            found.append(loaded)
    found.sort(key=lambda f: f.code)
    codes = [f.code for f in found] + [f.name for f in found]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise RuntimeError(f"fixes share codes or names: {sorted(duplicates)}")
    return tuple(found)


class UnknownFix(ValueError):
    pass


def lookup(selector: str) -> FixModule:
    """A fix by code (case-insensitive) or name."""
    for fix in all_fixes():
        if selector.upper() == fix.code or selector.lower() == fix.name:
            return fix
    raise UnknownFix(f"unknown fix: {selector!r} (see `dockfix --list-fixes`)")


def resolve(selectors: Iterable[str]) -> frozenset[str]:
    """Fix codes for codes or names; a prefix such as `DF` or `DF0` selects many."""
    codes: set[str] = set()
    for selector in selectors:
        prefix = [f.code for f in all_fixes() if f.code.startswith(selector.upper())]
        if prefix and selector.upper() != "":
            codes.update(prefix)
        else:
            codes.add(lookup(selector).code)
    return frozenset(codes)


def enabled(select: Iterable[str] | None, ignore: Iterable[str]) -> tuple[FixModule, ...]:
    """The fixes that `select` (None: all) and `ignore` leave on."""
    if (select is None or isinstance(select, frozenset)) and isinstance(ignore, frozenset):
        return _enabled(select, ignore)  # the settings' sets: computed once for each
    return _enabled_uncached(select, ignore)


@lru_cache(maxsize=256)
def _enabled(select: frozenset[str] | None, ignore: frozenset[str]) -> tuple[FixModule, ...]:
    return _enabled_uncached(select, ignore)


def _enabled_uncached(select: Iterable[str] | None, ignore: Iterable[str]) -> tuple[FixModule, ...]:
    chosen = resolve(select) if select is not None else {f.code for f in all_fixes()}
    dropped = resolve(ignore)
    return tuple(f for f in all_fixes() if f.code in chosen and f.code not in dropped)
