"""Fix one Dockerfile's text: the function every front end calls.

The command line (`dockfix.runner`), the editor's stdin path and the language
server (`dockfix.server`) differ only in how they present a `FileResult`; what
is found and what the fixed text is come from here, so all three agree to the
character. Nothing here prints, and nothing raises: configuration errors,
parse errors, safety-net failures and bugs all become the result's `failure`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dockfix import buildcontext, engine
from dockfix.config import ConfigError, Settings, load, settings_for
from dockfix.errors import ParseError
from dockfix.images import declared_shells
from dockfix.parser import parse
from dockfix.registry import FixModule, UnknownFix, enabled
from dockfix.rule import Context, Finding, Safety
from dockfix.suppressions import suppress_findings
from dockfix.tree import Dockerfile


@dataclass(frozen=True)
class Overrides:
    """What a front end sets on top of the configuration files (None: as configured)."""

    config: Path | None = None  # one file for every Dockerfile, instead of the closest
    select: frozenset[str] | None = None
    ignore: frozenset[str] | None = None
    unsafe_fixes: bool | None = None


NO_OVERRIDES = Overrides()


def resolve_settings(path: Path | None, overrides: Overrides = NO_OVERRIDES) -> Settings:
    """The settings in force for a Dockerfile at `path` (None: the working
    directory's). Raises ConfigError."""
    base = load(overrides.config) if overrides.config else settings_for(path or Path.cwd())
    return base.with_cli(
        select=overrides.select, ignore=overrides.ignore, unsafe_fixes=overrides.unsafe_fixes
    )


def forget_cached_settings() -> None:
    """Forget every configuration read so far, dockfix's and hadolint's (for a
    long-running process whose files changed)."""
    from dockfix import config, hadolint_config

    config.forget_cached()
    hadolint_config.ignored_for.cache_clear()


def fixes_for(settings: Settings, path: Path | None) -> tuple[FixModule, ...]:
    """The fixes `settings` leave on for `path` (per-file ignores included).
    Raises UnknownFix."""
    ignore = settings.ignores_for(path) if path is not None else settings.ignore
    return enabled(settings.select, ignore)


@dataclass(frozen=True)
class Failure:
    """Why a file has no result.

    kind: "config" (a configuration or selector error), "parse" (BuildKit would
    reject the file; `line` and `column` say where) or "internal" (a fix failed
    the safety net or crashed; `fix` names it when known).
    """

    kind: str
    message: str
    line: int = 0
    column: int = 0
    fix: str | None = None


@dataclass(frozen=True)
class Reported:
    """A finding with the line of its instruction and whether this run applies its fix."""

    finding: Finding
    line: int
    applicable: bool


@dataclass
class FileResult:
    """Everything dockfix found and made for one text."""

    text: str  # the input
    settings: Settings | None = None
    tree: Dockerfile | None = None  # the input, parsed
    findings: list[Reported] = field(default_factory=list)  # what remains to report
    applied: list[engine.Applied] = field(default_factory=list)
    output: str | None = None  # the fixed text (only when fixing)
    new_files: dict[str, str] = field(default_factory=dict)  # by build-context path
    suppressed: int = 0  # suppression comments added (with `suppress`)
    failure: Failure | None = None
    context: Context | None = None  # what the fixes read of the build context

    @property
    def changed(self) -> bool:
        """Fixing changes the text or creates files (when reporting: would)."""
        if self.output is None:
            return any(r.applicable for r in self.findings)
        return self.output != self.text or bool(self.new_files)


def context_for(
    tree: Dockerfile,
    settings: Settings,
    path: Path | None,
    build_context: Path | None = None,
    folder: Path | None = None,
    ceiling: Path | None = None,
) -> Context:
    """The fixes' context for `tree` (see `fix_text`); `ceiling` bounds the
    search above `folder` (for tests)."""
    if build_context is not None:
        located = buildcontext.given(build_context)
    else:
        if folder is None and path is not None:
            folder = path.parent
        found = buildcontext.evidence(tree)
        located = buildcontext.locate(
            folder, found.sources, hints=found.hints, whole=found.whole, ceiling=ceiling
        )
    return Context(located.root, settings, dockerfile=path, located=located)


def _applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.fix.safety is Safety.SAFE or unsafe)


def fix_text(
    text: str,
    path: Path | None = None,
    overrides: Overrides = NO_OVERRIDES,
    *,
    build_context: Path | None = None,
    folder: Path | None = None,
    apply: bool = True,
    settings: Settings | None = None,
    tree: Dockerfile | None = None,
    fixes: Sequence[FixModule] | None = None,
    suppress: bool = False,
) -> FileResult:
    """Find problems in `text` (a Dockerfile at `path`, if it has one) and,
    with `apply`, fix them to a fixed point behind the engine's safety net.
    With `suppress` (and `apply`), what remains after the fixes is suppressed
    by a `# dockfix: ignore=...` comment above each instruction concerned.

    `build_context` is the context given (`--build-context`), used as it is;
    without it the context is located (`dockfix.buildcontext`) from the
    file's own COPY/ADD sources, starting from `folder` (default: the folder
    of `path`; None for neither: unknown).

    `settings` (default: resolved for `path` with `overrides`), `tree` (the
    parsed `text`) and `fixes` (default: those the settings leave on) may be
    passed by callers that keep them. Never raises: a bug anywhere becomes an
    internal failure, not a traceback.
    """
    try:
        return _fix_text(
            text, path, overrides, build_context, folder, apply, settings, tree, fixes, suppress
        )
    except Exception as e:
        return FileResult(text, failure=Failure("internal", f"{type(e).__name__}: {e}"))


def _fix_text(
    text: str,
    path: Path | None,
    overrides: Overrides,
    build_context: Path | None,
    folder: Path | None,
    apply: bool,
    settings: Settings | None,
    tree: Dockerfile | None,
    fixes: Sequence[FixModule] | None,
    suppress: bool,
) -> FileResult:
    result = FileResult(text)
    try:
        if settings is None:
            settings = resolve_settings(path, overrides)
        if fixes is None:
            fixes = fixes_for(settings, path)
    except (ConfigError, UnknownFix) as e:
        result.failure = Failure("config", str(e))
        return result
    result.settings = settings
    if tree is None:
        try:
            tree = parse(text)
        except ParseError as e:
            result.failure = Failure("parse", e.message, e.line, e.column)
            return result
    result.tree = tree
    context = context_for(tree, settings, path, build_context, folder)
    result.context = context
    with declared_shells(settings.image_shells):
        return _fixed(result, tree, fixes, context, apply, suppress)


def _fixed(
    result: FileResult,
    tree: Dockerfile,
    fixes: Sequence[FixModule],
    context: Context,
    apply: bool,
    suppress: bool,
) -> FileResult:
    """`result` with the findings on `tree`, and with `apply` the fixed text."""
    unsafe = context.settings.unsafe_fixes
    try:
        if not apply:
            lines = {id(loc.instruction): loc.start_line for loc in tree.located()}
            result.findings = [
                Reported(f, lines.get(id(f.node), 1), _applicable(f, unsafe))
                for f in engine.findings(tree, fixes, context)
            ]
            return result
        run = engine.run(tree, fixes, context, unsafe=unsafe)
        if suppress and run.remaining:
            run.tree, result.suppressed = _suppress(run, fixes, context)
            run.remaining = []
    except engine.InternalError as e:
        result.failure = Failure("internal", str(e), fix=e.fix)
        return result
    result.applied = run.applied
    result.findings = [Reported(f, line, _applicable(f, unsafe)) for f, line in run.remaining]
    result.output = run.code
    result.new_files = run.files
    return result


def _suppress(
    run: engine.Result, fixes: Sequence[FixModule], context: Context
) -> tuple[Dockerfile, int]:
    """The fixed tree with a suppression comment above every instruction that
    still has findings, checked as the engine checks a fix: it parses, every
    instruction reads as before, and nothing is left to report. A comment may
    change what a fix sees (two ENV are no longer adjacent; the RUNs after a
    suppressed one of eight consecutive RUNs are still seven), so findings
    that appear only then are suppressed too, round after round, as many
    rounds as there are instructions at most (each comments at least one)."""
    tree = run.tree
    found = [finding for finding, _ in run.remaining]
    added = 0
    for _ in range(len(tree.instructions) + 1):
        candidate, count = suppress_findings(tree, found)
        added += count
        try:
            reparsed = parse(candidate.code)
        except ParseError as e:
            raise engine.InternalError(
                "add-suppressions", f"made text that does not parse ({e})"
            ) from None
        if [i.dump() for i in reparsed.instructions] != [i.dump() for i in tree.instructions]:
            raise engine.InternalError("add-suppressions", "changed how an instruction reads")
        tree = reparsed
        found = engine.findings(tree, fixes, context)
        if not found:
            return tree, added
    raise engine.InternalError("add-suppressions", "could not silence every finding")
