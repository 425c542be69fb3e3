"""What dockfix finds in one version of a document, in LSP's terms:
diagnostics with their ranges, the finding behind each, and (computed on
demand) the fix-all result the stdin path would print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types

from dockfix.config import Settings
from dockfix.core import FileResult, Reported, fix_text, fixes_for
from dockfix.lsp.text import LineIndex
from dockfix.registry import FixModule, UnknownFix
from dockfix.rule import Finding, Rule
from dockfix.tree import Dockerfile, Instruction

SOURCE = "dockfix"
# Each fix's documentation is its module's docstring (`dockfix --explain`).
DOCS_URL = "https://github.com/dockfix/dockfix/blob/main/fixes/{module}.py"


def docs_url(rule: Rule) -> str:
    return DOCS_URL.format(module=rule.name.replace("-", "_"))


@dataclass(frozen=True)
class Located:
    """A finding and the diagnostic that shows it."""

    reported: Reported
    diagnostic: types.Diagnostic
    start: int  # offsets of the diagnostic's range in the text
    end: int
    instruction_start: int  # where the instruction's first line starts

    @property
    def finding(self) -> Finding:
        return self.reported.finding


@dataclass
class Analysis:
    """One version of a document, analysed with `settings` (None: the
    configuration could not be read, and `diagnostics` says why)."""

    text: str
    index: LineIndex
    path: Path | None
    folder: Path | None  # the document's folder, where its build context is located from
    settings: Settings | None
    tree: Dockerfile | None = None
    build_context: Path | None = None  # as located (None: unknown, or not analysed)
    fixes: tuple[FixModule, ...] = ()  # all of them, a crashing one included
    located: list[Located] = field(default_factory=list)
    diagnostics: list[types.Diagnostic] = field(default_factory=list)
    _fixed: FileResult | None = None

    def fixed(self) -> FileResult:
        """The fix-all result: what `dockfix - --stdin-filename PATH` prints."""
        if self._fixed is None:
            self._fixed = fix_text(
                self.text,
                self.path,
                folder=self.folder,
                settings=self.settings,
                tree=self.tree,
                fixes=self.fixes or None,
            )
        return self._fixed

    def at(self, start: int, end: int) -> list[Located]:
        """The findings whose ranges meet [start, end] (ends included)."""
        return [loc for loc in self.located if loc.start <= end and start <= loc.end]


def _offsets(tree: Dockerfile) -> dict[int, int]:
    """Where each item of `tree` starts in its text."""
    offsets: dict[int, int] = {}
    pos = len(tree.bom)
    for item in tree.items:
        offsets[id(item)] = pos
        pos += len(item.code)
    return offsets


def _span(instruction: Instruction, start: int, column: int) -> tuple[int, int]:
    """The finding's range: from its column on the instruction's first line to
    the end of its last line (heredoc bodies left out)."""
    lines = "".join(p.raw for p in instruction.parts)
    first = lines.split("\n", 1)[0].rstrip("\r")
    return start + min(max(column - 1, 0), len(first)), start + len(lines.rstrip("\r\n"))


def _failure_diagnostic(
    index: LineIndex, message: str, code: str | None, offset: int = 0
) -> types.Diagnostic:
    """An error from `offset` to the end of its line."""
    start = index.position(offset)
    end = index.position(index.line_end(start.line))
    return types.Diagnostic(
        range=types.Range(start, end),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=code,
        source=SOURCE,
    )


def _parse_error_offset(text: str, line: int, column: int) -> int:
    """The offset of a parse error's 1-based line and column (lines as
    BuildKit counts them: ended by `\\n` only)."""
    pos = 0
    for _ in range(max(line - 1, 0)):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    nl = text.find("\n", pos)
    end = len(text) if nl < 0 else nl
    return min(pos + max(column - 1, 0), end)


def analyse(
    text: str,
    index: LineIndex,
    path: Path | None,
    folder: Path | None,
    settings: Settings | None,
    settings_error: str | None = None,
    fixes: Sequence[FixModule] | None = None,
) -> Analysis:
    """Diagnostics for `text` with `fixes` (default: those `settings` leave
    on). A fix that crashes is left out of this analysis and shown as an error
    naming it; the other fixes still report. (The fix-all, like the stdin path,
    refuses the file while a fix crashes.)"""
    analysis = Analysis(text, index, path, folder, settings)
    if settings is not None and fixes is None:
        try:
            fixes = fixes_for(settings, path)
        except UnknownFix as e:
            settings, settings_error = None, str(e)
    if settings is None or fixes is None:
        analysis.diagnostics = [
            _failure_diagnostic(index, f"dockfix configuration: {settings_error}", None)
        ]
        return analysis
    analysis.fixes = tuple(fixes)
    crashed: list[types.Diagnostic] = []
    enabled = list(fixes)
    while True:
        result = fix_text(
            text,
            path,
            folder=folder,
            apply=False,
            settings=settings,
            tree=analysis.tree,
            fixes=enabled,
        )
        analysis.tree = result.tree or analysis.tree
        if result.context is not None:
            analysis.build_context = result.context.build_context
        failure = result.failure
        if failure is None:
            break
        if failure.kind == "parse":
            offset = _parse_error_offset(text, failure.line, failure.column)
            analysis.diagnostics = [_failure_diagnostic(index, failure.message, None, offset)]
            return analysis
        if failure.kind == "config":
            analysis.diagnostics = [
                _failure_diagnostic(index, f"dockfix configuration: {failure.message}", None)
            ]
            return analysis
        culprit = [f for f in enabled if f.name == failure.fix]
        code = culprit[0].code if culprit else None
        crashed.append(_failure_diagnostic(index, f"internal error: {failure.message}", code))
        if not culprit:
            analysis.diagnostics = crashed
            return analysis
        enabled.remove(culprit[0])
    assert analysis.tree is not None
    offsets = _offsets(analysis.tree)
    for reported in result.findings:
        finding = reported.finding
        node_start = offsets.get(id(finding.node), 0)
        start, end = _span(finding.node, node_start, finding.column)
        rule = finding.rule
        fix = finding.fix
        diagnostic = types.Diagnostic(
            range=index.range(start, end),
            message=f"{finding.message} [{rule.name}]",
            severity=types.DiagnosticSeverity.Warning,
            code=rule.code,
            code_description=types.CodeDescription(href=docs_url(rule)),
            source=SOURCE,
            data={"name": rule.name, "fix": fix.safety.value if fix is not None else None},
        )
        analysis.located.append(Located(reported, diagnostic, start, end, node_start))
        analysis.diagnostics.append(diagnostic)
    analysis.diagnostics.extend(crashed)
    return analysis
