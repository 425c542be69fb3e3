"""What the command line does, without the command-line parsing.

Both front ends call into here: the typer app (`dockfix.cli`) and the fast
path for editors (`dockfix.__main__`), which skips importing typer.

Exit codes (ruff's and black's): 0 nothing to do, 1 findings remain or files
would change, 2 usage errors, unreadable or unparsable files, internal errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from dockfix import engine
from dockfix.config import ConfigError, Settings, load, settings_for
from dockfix.diff import colorize, new_file_diff, unified_diff
from dockfix.errors import ParseError
from dockfix.files import create_new, discover, read_text, write_atomic
from dockfix.parser import parse
from dockfix.registry import UnknownFix, enabled
from dockfix.rule import Context, Finding, Safety

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...] = ()
    diff: bool = False
    write: bool = False
    check: bool = False
    stdin_filename: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    unsafe_fixes: bool | None = None
    config: str | None = None
    quiet: bool = False
    color: bool | None = None  # None: when stdout is a terminal
    jobs: int | None = None
    progress: bool | None = None  # None: when stderr is a terminal
    build_context: str | None = None  # None: each Dockerfile's folder
    output_format: str = "concise"  # how findings are printed: see OUTPUT_FORMATS


@dataclass(frozen=True)
class Row:
    """One finding, as reported (picklable, for worker processes)."""

    path: str
    line: int
    column: int
    code: str
    name: str
    message: str
    fix: str | None  # "safe", "unsafe" or None (a report without a fix)
    applicable: bool  # would this run apply it (safe, or unsafe with --unsafe-fixes)

    def concise(self) -> str:
        marker = ""
        if self.fix is not None:
            marker = " [*]" if self.applicable else " [unsafe fix]"
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.code} [{self.name}] {self.message}{marker}"

    def github(self) -> str:
        # GitHub Actions workflow command: an annotation on the file and line.
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::warning file={self.path},line={self.line},col={self.column},"
            f"title={self.code} [{self.name}]::{message}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "fix": self.fix,
        }


OUTPUT_FORMATS = ("concise", "json", "github", "sarif")


def sarif(rows: list[Row]) -> dict[str, object]:
    """SARIF 2.1.0 for code-scanning uploads: one rule per fix that reported,
    every result with a location (lines start at 1)."""
    from dockfix import __version__
    from dockfix.registry import lookup

    rule_ids = sorted({row.code for row in rows})
    rules = []
    for code in rule_ids:
        fix = lookup(code)
        rules.append(
            {
                "id": code,
                "name": fix.name,
                "shortDescription": {"text": fix.rule.summary},
                "fullDescription": {"text": fix.doc.split("## Why is this bad?")[0].strip()},
                "properties": {"fix-safety": fix.rule.safety.value},
            }
        )
    results = [
        {
            "ruleId": row.code,
            "ruleIndex": rule_ids.index(row.code),
            "level": "warning",
            "message": {"text": row.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": row.path},
                        "region": {"startLine": max(row.line, 1), "startColumn": row.column},
                    }
                }
            ],
        }
        for row in rows
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dockfix", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }


@dataclass
class FileOutcome:
    """What happened to one file; built in a worker process, printed by the parent."""

    path: str
    changed: bool = False
    written: bool = False
    diff: str = ""
    output: str | None = None
    applied: int = 0
    remaining: list[Row] = field(default_factory=list)
    error: str | None = None  # `path:line:col: message`
    new_files: list[tuple[str, str]] = field(default_factory=list)


def _display(path: Path) -> str:
    """The path as users gave it, relative to the working directory if inside it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _settings(options: Options, path: Path) -> Settings:
    base = load(Path(options.config)) if options.config else settings_for(path)
    return base.with_cli(
        select=frozenset(options.select) if options.select is not None else None,
        ignore=frozenset(options.ignore) if options.ignore is not None else None,
        unsafe_fixes=options.unsafe_fixes,
    )


def _row(display: str, line: int, finding: Finding, unsafe: bool) -> Row:
    fix = finding.fix
    rule = finding.rule
    return Row(
        display,
        line,
        finding.column,
        rule.code,
        rule.name,
        finding.message,
        fix.safety.value if fix else None,
        fix is not None and (fix.safety is Safety.SAFE or unsafe),
    )


def process_text(
    text: str, display: str, path: Path | None, options: Options, build_context: Path | None
) -> FileOutcome:
    """Fix one file's text. Never raises: a bug anywhere becomes this file's
    internal error (exit 2, nothing written), not a traceback."""
    try:
        return _process_text(text, display, path, options, build_context)
    except Exception as e:
        return FileOutcome(display, error=f"{display}: internal error: {type(e).__name__}: {e}")


def _process_text(
    text: str, display: str, path: Path | None, options: Options, build_context: Path | None
) -> FileOutcome:
    outcome = FileOutcome(display)
    try:
        settings = _settings(options, path if path is not None else Path.cwd())
        ignore = settings.ignores_for(path) if path is not None else settings.ignore
        fixes = enabled(settings.select, ignore)
    except (ConfigError, UnknownFix) as e:
        outcome.error = f"{display}: {e}"
        return outcome
    try:
        tree = parse(text)
    except ParseError as e:
        outcome.error = f"{display}:{e.line}:{e.column}: {e.message}"
        return outcome
    context = Context(build_context, settings, dockerfile=path)
    report_only = not (options.diff or options.write or options.check or options.paths == ("-",))
    try:
        if report_only:
            lines = {id(loc.instruction): loc.start_line for loc in tree.located()}
            found = engine.findings(tree, fixes, context)
            outcome.remaining = [
                _row(display, lines.get(id(f.node), 1), f, settings.unsafe_fixes) for f in found
            ]
            outcome.changed = any(
                f.fix is not None and (f.fix.safety is Safety.SAFE or settings.unsafe_fixes)
                for f in found
            )
            return outcome
        result = engine.run(tree, fixes, context, unsafe=settings.unsafe_fixes)
    except engine.InternalError as e:
        outcome.error = f"{display}: internal error: {e}"
        return outcome
    outcome.applied = len(result.applied)
    outcome.remaining = [
        _row(display, line, f, settings.unsafe_fixes) for f, line in result.remaining
    ]
    outcome.output = result.code
    outcome.changed = result.code != text or bool(result.files)
    if result.code != text:
        outcome.diff = unified_diff(text, result.code, display)
    if build_context is not None:
        outcome.new_files = [
            (_display(build_context / name), content) for name, content in result.files.items()
        ]
    return outcome


def process_path(path_str: str, options: Options) -> FileOutcome:
    path = Path(path_str)
    display = _display(path)
    try:
        text = read_text(path)
    except OSError as e:
        return FileOutcome(display, error=f"{display}: cannot read: {e.strerror or e}")
    context = Path(options.build_context) if options.build_context else path.parent
    outcome = process_text(text, display, path, options, context)
    if options.write and outcome.changed and outcome.output is not None:
        try:
            if outcome.output != text:
                write_atomic(path, outcome.output)
            for name, content in outcome.new_files:
                create_new(Path(name), content)
            outcome.written = True
        except FileExistsError:
            pass  # created meanwhile (another Dockerfile of the same context)
        except OSError as e:
            outcome.error = f"{display}: cannot write: {e.strerror or e}"
    if not options.diff:
        outcome.diff = ""
    outcome.output = None  # not needed by the parent; keep messages small
    return outcome


def _collect(options: Options, err: TextIO) -> tuple[list[str], bool]:
    """Files named on the command line (whatever their names) and the
    Dockerfiles below named folders."""
    found: list[str] = []
    failed = False
    seen: set[str] = set()
    for raw in options.paths:
        path = Path(raw)
        if path.is_dir():
            exclude = _settings(options, path).exclude if not options.config else ()
            candidates = [str(p) for p in discover(path, exclude)]
        elif path.exists():
            candidates = [raw]
        else:
            err.write(f"{raw}: no such file or directory\n")
            failed = True
            continue
        for c in candidates:
            key = os.path.realpath(c)
            if key not in seen:
                seen.add(key)
                found.append(c)
    return found, failed


def _map(files: list[str], options: Options, err: TextIO) -> list[FileOutcome]:
    """Process files, in parallel when there are many, with a progress bar on a terminal."""
    jobs = options.jobs or os.cpu_count() or 1
    show = options.progress if options.progress is not None else err.isatty()
    show = show and len(files) > 1 and not options.quiet
    if len(files) < 16 or jobs == 1:
        if not show:
            return [process_path(f, options) for f in files]
        outcomes = []
        with _Progress(len(files), err) as bar:
            for f in files:
                outcomes.append(process_path(f, options))
                bar.advance()
        return outcomes
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(_process_for_pool, [(f, options) for f in files], chunksize=chunk)
        if not show:
            return list(results)
        outcomes = []
        with _Progress(len(files), err) as bar:
            for outcome in results:
                outcomes.append(outcome)
                bar.advance()
        return outcomes


def _process_for_pool(args: tuple[str, Options]) -> FileOutcome:
    return process_path(*args)


class _Progress:
    """A rich progress bar on stderr (imported only when shown)."""

    def __init__(self, total: int, err: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.progress = Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=err),
            transient=True,
        )
        self.task = self.progress.add_task("dockfix", total=total)

    def __enter__(self) -> _Progress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self) -> None:
        self.progress.advance(self.task)


def _plural(n: int, word: str) -> str:
    suffix = "" if n == 1 else ("es" if word.endswith(("x", "s")) else "s")
    return f"{n} {word}{suffix}"


def run_paths(options: Options, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    files, failed = _collect(options, err)
    if not files and not failed:
        err.write("dockfix: no Dockerfiles found\n")
        return EXIT_OK
    outcomes = _map(files, options, err)
    color = options.color if options.color is not None else out.isatty()
    errors = [o for o in outcomes if o.error]
    changed = [o for o in outcomes if o.changed and not o.error]
    remaining = sum(len(o.remaining) for o in outcomes)
    created: set[str] = set()
    for o in outcomes:
        if o.error:
            err.write(o.error + "\n")
        elif options.diff:
            if o.diff:
                out.write(colorize(o.diff) if color else o.diff)
            for name, text in o.new_files:
                if name in created:
                    continue  # two Dockerfiles of one context: create the file once
                created.add(name)
                d = new_file_diff(text, name)
                out.write(colorize(d) if color else d)
        elif not options.check and options.output_format not in ("json", "sarif"):
            for row in o.remaining:
                out.write(
                    (row.github() if options.output_format == "github" else row.concise()) + "\n"
                )
    if options.output_format in ("json", "sarif") and not (options.diff or options.check):
        import json

        rows = [row for o in outcomes for row in o.remaining]
        data = sarif(rows) if options.output_format == "sarif" else [r.as_dict() for r in rows]
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    code = EXIT_OK
    if options.diff:
        if changed:
            code = EXIT_FINDINGS
        if not options.quiet:
            err.write(
                f"{_plural(len(changed), 'file')} would be fixed, "
                f"{_plural(len(files) - len(changed) - len(errors), 'file')} left unchanged\n"
            )
    elif options.write:
        if remaining:
            code = EXIT_FINDINGS
        if not options.quiet:
            fixed = sum(o.applied for o in outcomes)
            err.write(
                f"{_plural(len(changed), 'file')} fixed ({_plural(fixed, 'fix')} applied), "
                f"{_plural(len(files) - len(changed) - len(errors), 'file')} left unchanged, "
                f"{_plural(remaining, 'finding')} remaining"
                + (f", {_plural(len(errors), 'error')}" if errors else "")
                + "\n"
            )
    elif options.check:
        if changed or remaining:
            code = EXIT_FINDINGS
        out.write(
            f"{_plural(len(changed), 'file')} would be fixed, "
            f"{_plural(remaining, 'finding')} remaining"
            + (f", {_plural(len(errors), 'error')}" if errors else "")
            + "\n"
        )
    else:
        pending = sum(1 for o in outcomes if o.changed)
        if remaining or pending:
            code = EXIT_FINDINGS
        if not options.quiet and (remaining or pending):
            err.write(
                f"{_plural(remaining, 'finding')}; "
                f"{_plural(pending, 'file')} can be fixed with --write "
                "(--diff to review first)\n"
            )
    if errors or failed:
        code = EXIT_ERROR
    return code


def run_stdin(
    options: Options,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Format-on-save: read stdin, write the whole fixed text to stdout."""
    data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
    text = data.decode("utf-8", "surrogateescape")
    path = Path(options.stdin_filename) if options.stdin_filename else None
    if options.build_context:
        build_context = Path(options.build_context)
    elif path is not None and path.parent.is_dir():
        build_context = path.parent
    else:
        build_context = Path.cwd()
    outcome = process_text(text, _display(path) if path else "-", path, options, build_context)
    if outcome.error:
        err.write(outcome.error + "\n")
        return EXIT_ERROR
    assert outcome.output is not None
    changed = outcome.output != text  # new files are not created from stdin
    if options.diff:
        out.write(outcome.diff)
        return EXIT_FINDINGS if changed else EXIT_OK
    if options.check:
        return EXIT_FINDINGS if changed or outcome.remaining else EXIT_OK
    data_out = outcome.output.encode("utf-8", "surrogateescape")
    if hasattr(out, "buffer"):
        out.flush()
        out.buffer.write(data_out)
        out.flush()
    else:
        out.write(data_out.decode("utf-8", "surrogateescape"))
    return EXIT_OK


def run(options: Options) -> int:
    if "-" in options.paths:
        if len(options.paths) != 1:
            sys.stderr.write("dockfix: `-` (stdin) cannot be combined with other paths\n")
            return EXIT_ERROR
        if options.write:
            sys.stderr.write("dockfix: --write cannot be used with `-` (stdin)\n")
            return EXIT_ERROR
        return run_stdin(options)
    if not options.paths:
        sys.stderr.write("dockfix: no paths given (use `-` to read stdin)\n")
        return EXIT_ERROR
    return run_paths(options)


def explain(selector: str) -> str:
    from dockfix.registry import lookup

    fix = lookup(selector)
    r = fix.rule
    related = ", ".join(x for x in (r.hadolint, r.buildkit) if x) or "none"
    head = (
        f"{r.code} [{r.name}]: {r.summary}\nFix safety: {r.safety.value}. Related: {related}.\n\n"
    )
    return head + fix.doc + "\n"


def list_fixes() -> str:
    from dockfix.registry import all_fixes

    rows = [("CODE", "NAME", "SAFETY", "HADOLINT", "BUILDKIT", "SUMMARY")]
    for f in all_fixes():
        r = f.rule
        rows.append(
            (r.code, r.name, r.safety.value, r.hadolint or "-", r.buildkit or "-", r.summary)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(5)] + [row[5]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def split_csv(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """`--select a,b --select c` → ("a", "b", "c")."""
    if values is None:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())
