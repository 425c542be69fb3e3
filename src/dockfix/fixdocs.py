"""The fixes' documentation as users read it: `dockfix --explain`,
`dockfix --list-fixes`, and the language server's hover text."""

from __future__ import annotations

from dockfix.registry import FixModule, all_fixes, lookup


def explain_fix(fix: FixModule) -> str:
    """The header (code, name, summary, safety, related rules) and the docstring."""
    r = fix.rule
    related = ", ".join(x for x in (r.hadolint, r.buildkit) if x) or "none"
    head = (
        f"{r.code} [{r.name}]: {r.summary}\nFix safety: {r.safety.value}. Related: {related}.\n\n"
    )
    return head + fix.doc + "\n"


def explain(selector: str) -> str:
    """`dockfix --explain SELECTOR`. Raises UnknownFix."""
    return explain_fix(lookup(selector))


def list_fixes() -> str:
    """`dockfix --list-fixes`: one aligned row per fix."""
    rows = [("CODE", "NAME", "SAFETY", "HADOLINT", "BUILDKIT", "SUMMARY")]
    for f in all_fixes():
        r = f.rule
        rows.append(
            (
                r.code,
                r.name,
                r.safety.value if r.fixable else "report",
                r.hadolint or "-",
                r.buildkit or "-",
                r.summary,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(5)] + [row[5]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
