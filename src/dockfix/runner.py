"""What the command line does with files, without parsing the command line.

Both command-line parsers call into here: the typer app (`dockfix.cli`) and
the editor's stdin path (`dockfix.fastpath`, which skips importing typer).
Each file goes through `dockfix.core.fix_text`; `dockfix.report` prints.

Exit codes (ruff's and black's): 0 nothing to do, 1 findings remain or files
would change, 2 usage errors, unreadable or unparsable files, internal errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from dockfix.cache import ResultCache
from dockfix.config import ConfigError
from dockfix.core import FileResult, fix_text, resolve_settings
from dockfix.diff import unified_diff
from dockfix.files import create_new, discover, read_text, write_atomic
from dockfix.options import Options
from dockfix.report import (
    FileOutcome,
    Row,
    failure_message,
    outcome_from_json,
    outcome_to_json,
    print_outcomes,
    print_statistics,
    print_summary,
)
from dockfix.rule import Context

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _display(path: Path) -> str:
    """The path as users gave it, relative to the working directory if inside it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def process_text(
    text: str,
    display: str,
    path: Path | None,
    options: Options,
    build_context: Path | None,
    cache: ResultCache | None = None,
) -> FileOutcome:
    """Fix (or, without --diff/--write/--check, only report on) one file's text."""
    if cache is not None:
        return _cached(cache, text, display, path, options, build_context)
    return _outcome(_fix(text, path, options, build_context), text, display, build_context)


def _fix(text: str, path: Path | None, options: Options, build_context: Path | None) -> FileResult:
    return fix_text(
        text,
        path,
        options.overrides,
        build_context=build_context,
        apply=options.fixing,
        suppress=options.add_suppressions,
    )


def _outcome(
    result: FileResult, text: str, display: str, build_context: Path | None
) -> FileOutcome:
    outcome = FileOutcome(display)
    if result.failure is not None:
        outcome.error = failure_message(display, result.failure)
        return outcome
    outcome.remaining = [Row.of(display, r) for r in result.findings]
    outcome.changed = result.changed
    if result.output is None:
        return outcome
    outcome.applied = len(result.applied)
    outcome.suppressed = result.suppressed
    outcome.output = result.output
    if result.output != text:
        outcome.diff = unified_diff(text, result.output, display)
    if build_context is not None:
        outcome.new_files = [
            (_display(build_context / name), content) for name, content in result.new_files.items()
        ]
    return outcome


def _cache(options: Options) -> ResultCache | None:
    if options.no_cache or os.environ.get("DOCKFIX_NO_CACHE"):
        return None
    root = options.cache_dir or os.environ.get("DOCKFIX_CACHE_DIR") or ".dockfix_cache"
    return ResultCache(Path(root))


def _cached(
    cache: ResultCache,
    text: str,
    display: str,
    path: Path | None,
    options: Options,
    build_context: Path | None,
) -> FileOutcome:
    """The outcome from the result cache when nothing it depends on changed;
    else computed and stored (internal errors are not stored)."""
    try:
        settings = resolve_settings(path, options.overrides)
    except ConfigError:
        return _outcome(_fix(text, path, options, build_context), text, display, build_context)
    key = cache.key(
        display,
        str(path.resolve()) if path is not None else None,
        text,
        settings,
        options.fixing,
        options.add_suppressions,
        str(build_context.resolve()) if build_context is not None else None,
    )
    probe = Context(build_context, settings, dockerfile=path)
    hit = cache.get(key, probe)
    if hit is not None:
        return outcome_from_json(hit, text)
    result = _fix(text, path, options, build_context)
    outcome = _outcome(result, text, display, build_context)
    internal = result.failure is not None and result.failure.kind == "internal"
    if result.context is not None and not internal:
        cache.put(key, outcome_to_json(outcome, text), result.context)
    elif result.failure is not None and result.failure.kind == "parse":
        cache.put(key, outcome_to_json(outcome, text), probe)
    return outcome


def process_path(path_str: str, options: Options) -> FileOutcome:
    path = Path(path_str)
    display = _display(path)
    try:
        text = read_text(path)
    except OSError as e:
        return FileOutcome(display, error=f"{display}: cannot read: {e.strerror or e}")
    context = Path(options.build_context) if options.build_context else path.parent
    outcome = process_text(text, display, path, options, context, _cache(options))
    if options.writes and outcome.changed and outcome.output is not None:
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
            exclude = (
                resolve_settings(path, options.overrides).exclude if not options.config else ()
            )
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
        from dockfix.progress import Progress

        outcomes = []
        with Progress(len(files), err) as bar:
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
        from dockfix.progress import Progress

        outcomes = []
        with Progress(len(files), err) as bar:
            for outcome in results:
                outcomes.append(outcome)
                bar.advance()
        return outcomes


def _process_for_pool(args: tuple[str, Options]) -> FileOutcome:
    return process_path(*args)


def _exit_code(outcomes: list[FileOutcome], options: Options, failed: bool) -> int:
    if failed or any(o.error for o in outcomes):
        return EXIT_ERROR
    changed = any(o.changed for o in outcomes)
    remaining = any(o.remaining for o in outcomes)
    if options.diff:
        return EXIT_FINDINGS if changed else EXIT_OK
    if options.writes:
        return EXIT_FINDINGS if remaining else EXIT_OK
    return EXIT_FINDINGS if changed or remaining else EXIT_OK


def run_paths(options: Options, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    files, failed = _collect(options, err)
    if not files and not failed:
        err.write("dockfix: no Dockerfiles found\n")
        return EXIT_OK
    outcomes = _map(files, options, err)
    print_outcomes(outcomes, options, out, err)
    if options.statistics:
        print_statistics(outcomes, options, out)
    else:
        print_summary(outcomes, len(files), options, out, err)
    return _exit_code(outcomes, options, failed)


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
        if options.statistics:
            sys.stderr.write("dockfix: --statistics cannot be used with `-` (stdin)\n")
            return EXIT_ERROR
        return run_stdin(options)
    if not options.paths:
        sys.stderr.write("dockfix: no paths given (use `-` to read stdin)\n")
        return EXIT_ERROR
    return run_paths(options)
