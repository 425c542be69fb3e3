"""Code actions: a quick fix per finding that has a fix (its edits and
nothing else), "ignore this finding" (a suppression comment above the
instruction), and `source.fixAll.dockfix` (what the stdin path prints)."""

from __future__ import annotations

from lsprotocol import types

from dockfix import engine
from dockfix.lsp.analysis import Analysis, Located
from dockfix.lsp.text import text_edits
from dockfix.registry import lookup
from dockfix.rule import Safety
from dockfix.tree import Line

FIX_ALL = "source.fixAll.dockfix"


def wanted(kind: str, only: list[str] | None) -> bool:
    """Whether the client asked for actions of `kind` (`only` lists kinds
    or their parents, such as `source` or `source.fixAll`)."""
    if only is None:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def _edit(uri: str, version: int | None, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri, version),
                edits=edits,
            )
        ]
    )


def quick_fix(
    analysis: Analysis, loc: Located, uri: str, version: int | None, create_files: bool
) -> types.CodeAction | None:
    """The quick fix of one finding: its edits, behind the engine's safety net,
    and the files it creates when the client can create files."""
    finding = loc.finding
    fix = finding.fix
    if fix is None or analysis.tree is None:
        return None
    try:
        new_tree = engine.apply_finding(analysis.tree, lookup(finding.rule.code), finding)
    except engine.InternalError:
        return None  # the engine would refuse it too; the fix-all reports why
    edits = text_edits(analysis.text, new_tree.code, analysis.index)
    changes: list[types.TextDocumentEdit | types.CreateFile] = []
    if edits:
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri, version),
                edits=edits,
            )
        )
    context = analysis.build_context
    if fix.files and create_files and context is not None:
        for new_file in fix.files:
            target = context / new_file.path
            if target.exists():
                continue
            file_uri = target.resolve().as_uri()
            changes.append(
                types.CreateFile(
                    uri=file_uri, options=types.CreateFileOptions(ignore_if_exists=True)
                )
            )
            changes.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(file_uri, None),
                    edits=[
                        types.TextEdit(
                            types.Range(types.Position(0, 0), types.Position(0, 0)),
                            new_file.content,
                        )
                    ],
                )
            )
    if not changes:
        return None
    unsafe = fix.safety is Safety.UNSAFE
    title = fix.title or finding.rule.summary
    return types.CodeAction(
        title=f"dockfix: {title}" + (" (unsafe fix)" if unsafe else ""),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[loc.diagnostic],
        is_preferred=not unsafe,
        edit=types.WorkspaceEdit(document_changes=changes),
    )


def ignore(analysis: Analysis, loc: Located, uri: str, version: int | None) -> types.CodeAction:
    """Insert `# dockfix: ignore=<name>` on a line of its own above the
    instruction, indented like it, ending like its first line."""
    instruction = loc.finding.node
    first = instruction.parts[0]
    raw = first.raw
    indent = raw[: len(raw) - len(raw.lstrip(" \t"))]
    ending = first.ending if isinstance(first, Line) else ""
    if not ending and analysis.tree is not None:
        ending = analysis.tree.newline
    comment = f"{indent}# dockfix: ignore={loc.finding.rule.name}{ending}"
    at = analysis.index.position(loc.instruction_start)
    return types.CodeAction(
        title=f"dockfix: ignore {loc.finding.rule.name} for this instruction",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[loc.diagnostic],
        edit=_edit(uri, version, [types.TextEdit(types.Range(at, at), comment)]),
    )


def fix_all(analysis: Analysis, uri: str, version: int | None) -> types.CodeAction:
    """Every applicable fix at once, as the stdin path applies them; disabled,
    with the reason, when the file does not parse or the safety net refuses."""
    action = types.CodeAction(title="dockfix: fix all", kind=FIX_ALL)
    result = analysis.fixed()
    if result.failure is not None or result.output is None:
        reason = result.failure.message if result.failure is not None else "nothing to fix"
        action.disabled = types.CodeActionDisabled(reason=reason)
        return action
    action.edit = _edit(uri, version, text_edits(analysis.text, result.output, analysis.index))
    return action
