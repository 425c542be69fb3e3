"""What the command line does with files, without parsing the command line.

Both command-line parsers call into here: the typer app (`dockfix.cli`) and
the editor's stdin path (`dockfix.fastpath`, which skips importing typer).
Each file goes through `dockfix.core.fix_text`; `dockfix.report` prints.

Exit codes (ruff's and black's): 0 nothing to do, 1 findings remain or files
would change, 2 usage errors, unreadable or unparsable files, internal errors.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from dockfix.config import ConfigError, Settings
from dockfix.core import FileResult, fix_text, resolve_settings
from dockfix.diff import unified_diff
from dockfix.files import FileError, Stamp, create_new, discover, read_dockerfile, write_atomic
from dockfix.interrupt import (
    Interrupted,
    checkpoint,
    critical,
    handling,
    ignore_in_worker,
    stopping,
)
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

if TYPE_CHECKING:
    from dockfix.cache import ResultCache  # imported when a run uses the cache

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
    folder: Path | None,
    cache: ResultCache | None = None,
) -> FileOutcome:
    """Fix (or, without --diff/--write/--check, only report on) one file's text.
    The build context is `--build-context` if given, else located from
    `folder` (the Dockerfile's; see `dockfix.buildcontext`)."""
    given = Path(options.build_context) if options.build_context else None
    if cache is not None:
        return _cached(cache, text, display, path, options, given, folder)
    result = _fix(text, path, options, given, folder)
    return _outcome(result, text, display, options.diff)


def _fix(
    text: str,
    path: Path | None,
    options: Options,
    given: Path | None,
    folder: Path | None,
    settings: Settings | None = None,
) -> FileResult:
    return fix_text(
        text,
        path,
        options.overrides,
        build_context=given,
        folder=folder,
        apply=options.fixing,
        suppress=options.add_suppressions,
        settings=settings,
    )


def _outcome(result: FileResult, text: str, display: str, diff: bool) -> FileOutcome:
    """What is shown of `result`; the diff only when it is shown (`diff`)."""
    outcome = FileOutcome(display)
    if result.failure is not None:
        outcome.error = failure_message(display, result.failure)
        return outcome
    outcome.remaining = [Row.of(display, r) for r in result.findings]
    outcome.changed = result.changed
    outcome.text_changed = result.output is not None and result.output != text
    root = result.context.build_context if result.context is not None else None
    if result.output is None:
        # --check: nothing is fixed, but what would be is counted alike.
        files = [
            f
            for r in result.findings
            if r.applicable and r.finding.fix
            for f in r.finding.fix.files
        ]
        outcome.text_changed = any(
            r.applicable and r.finding.fix and r.finding.fix.edits for r in result.findings
        )
        if root is not None:
            outcome.new_files = [(_display(root / f.path), f.content) for f in files]
        return outcome
    outcome.applied = len(result.applied)
    outcome.suppressed = result.suppressed
    outcome.output = result.output
    if diff and result.output != text:
        outcome.diff = unified_diff(text, result.output, display)
    # New files go into the build context the fixes read (given or located).
    if root is not None:
        outcome.new_files = [
            (_display(root / name), content) for name, content in result.new_files.items()
        ]
    return outcome


def _cache(options: Options) -> ResultCache | None:
    if options.no_cache or os.environ.get("DOCKFIX_NO_CACHE"):
        return None
    root = options.cache_dir or os.environ.get("DOCKFIX_CACHE_DIR") or ".dockfix_cache"
    from dockfix.cache import ResultCache

    return ResultCache(Path(root))


def _cached(
    cache: ResultCache,
    text: str,
    display: str,
    path: Path | None,
    options: Options,
    given: Path | None,
    folder: Path | None,
) -> FileOutcome:
    """The outcome from the result cache when nothing it depends on changed;
    else computed and stored (internal errors are not stored)."""
    try:
        settings = resolve_settings(path, options.overrides)
    except ConfigError:
        result = _fix(text, path, options, given, folder)
        return _outcome(result, text, display, options.diff)
    start = given if given is not None else folder
    key = cache.key(
        display,
        str(path.resolve()) if path is not None else None,
        text,
        settings,
        options.fixing,
        options.add_suppressions,
        "given" if given is not None else "located",
        str(start.resolve()) if start is not None else None,
    )
    # The context as the front end knows it, before the text is read: given,
    # or the folder the cache entry's recorded sources locate it from.
    probe = Context(start, settings, dockerfile=path)
    hit = cache.get(key, probe)
    if hit is not None:
        return outcome_from_json(hit, text, options.diff)
    result = _fix(text, path, options, given, folder, settings)  # resolved above
    outcome = _outcome(result, text, display, options.diff)
    internal = result.failure is not None and result.failure.kind == "internal"
    if result.context is not None and not internal:
        cache.put(key, outcome_to_json(outcome, text), result.context)
    elif result.failure is not None and result.failure.kind == "parse":
        cache.put(key, outcome_to_json(outcome, text), probe)
    return outcome


def process_path(path_str: str, options: Options, named: bool = True) -> FileOutcome:
    """Read, fix and (with --write) write one file. `named`: given on the
    command line, rather than found in a folder (a binary file found in a
    folder is skipped with a warning, not an error)."""
    path = Path(path_str)
    display = _display(path)
    _trim_caches()
    try:
        text, stamp = read_dockerfile(path)
    except FileError as e:
        if e.skip and not named:
            return FileOutcome(display, warning=f"{display}: {e.message}")
        return FileOutcome(display, error=f"{display}: {e.message}")
    outcome = process_text(text, display, path, options, path.parent, _cache(options))
    if options.writes and outcome.changed and outcome.output is not None:
        with critical():  # a signal waits until the file is written whole, or not at all
            _write(path, display, text, stamp, outcome)
    if not options.diff:
        outcome.diff = ""
    elif outcome.diff and outcome.output is not None:
        real = os.path.realpath(path)
        if real != os.path.abspath(path):
            # Named through a symbolic link: --write replaces the link's
            # target, and the patch names it too (git apply and patch would
            # not patch through a link).
            outcome.diff = unified_diff(text, outcome.output, _display(Path(real)))
    outcome.output = None  # not needed by the parent; keep messages small
    if options.check and not options.statistics:
        # --check shows how many findings remain, not which: keep the count
        # (one shared placeholder per finding), so that memory does not grow
        # with the findings of every file of a big run.
        outcome.remaining = [_COUNTED] * len(outcome.remaining)
    return outcome


def _trim_caches() -> None:
    """Empty the shell's caches (keyed by script text) once they hold more than
    the scripts of a file or two, so that a run's memory does not grow with
    the number of files; a file's own scripts are still read once."""
    from dockfix.shell import commands, tokens

    for cached in (commands, tokens):
        if cached.cache_info().currsize > 256:
            cached.cache_clear()


# What stands for each finding of a --check outcome (only counted).
_COUNTED = Row("", 0, 0, "", "", "", None, False)


def _write(path: Path, display: str, text: str, stamp: Stamp, outcome: FileOutcome) -> None:
    assert outcome.output is not None
    try:
        if outcome.output != text:
            write_atomic(path, outcome.output, stamp)
        for name, content in outcome.new_files:
            # FileExistsError: created meanwhile (another Dockerfile of the same context)
            with contextlib.suppress(FileExistsError):
                create_new(Path(name), content)
        outcome.written = True
    except FileError as e:
        outcome.error = f"{display}: {e.message}"


def _collect(options: Options, err: TextIO) -> tuple[list[tuple[str, bool]], bool]:
    """Files named on the command line (whatever their names) and the
    Dockerfiles below named folders, each once (by real path), with whether it
    was named. Problems met on the way are printed; `True` if one of them means
    something could not be done."""
    found: list[tuple[str, bool]] = []
    failed = False
    seen: set[str] = set()
    infos: dict[str, os.stat_result] = {}
    for raw in options.paths:
        try:
            infos[raw] = os.stat(raw)
        except OSError as e:
            err.write(f"{raw}: {(e.strerror or str(e)).lower()}\n")
            failed = True

    def report(path: Path, message: str, error: bool) -> None:
        nonlocal failed
        err.write(f"{_display(path)}: {message}\n")
        failed = failed or error

    folders: list[tuple[Path, tuple[str, ...]]] = []
    position: dict[int, str] = {}  # folder index -> the argument naming it
    for raw, info in infos.items():
        if not stat.S_ISDIR(info.st_mode):
            continue
        path = Path(raw)
        try:
            exclude = (
                resolve_settings(path, options.overrides).exclude if not options.config else ()
            )
        except ConfigError as e:
            err.write(f"{e}\n")
            failed = True
            continue
        position[len(folders)] = raw
        folders.append((path, tuple(exclude)))
    below: dict[str, list[str]] = {}
    for index, found_path in discover(folders, report):
        below.setdefault(position[index], []).append(str(found_path))

    def add(candidate: str, named: bool) -> None:
        key = os.path.realpath(candidate)
        if key not in seen:
            seen.add(key)
            found.append((candidate, named))

    # In the order of the arguments; each file once. (Each folder's list is
    # dropped once taken, so that a big run does not hold it twice.)
    for raw, info in infos.items():
        if stat.S_ISDIR(info.st_mode):
            for candidate in below.pop(raw, []):
                add(candidate, False)
        else:
            add(raw, True)
    return found, failed


def _map(
    files: list[tuple[str, bool]], options: Options, err: TextIO
) -> tuple[list[FileOutcome], Interrupted | None]:
    """Process files, in parallel when there are many, with a progress bar on a
    terminal. On SIGINT or SIGTERM: the outcomes so far, and the interruption."""
    jobs = options.jobs or os.cpu_count() or 1
    show = options.progress if options.progress is not None else err.isatty()
    show = show and len(files) > 1 and not options.quiet
    outcomes: list[FileOutcome] = []
    keep = _Keeper(options)
    with contextlib.ExitStack() as stack:
        bar = None
        if show:
            from dockfix.progress import Progress

            bar = stack.enter_context(Progress(len(files), err))
        try:
            if len(files) < 16 or jobs == 1:
                for f, named in files:
                    outcomes.append(keep(process_path(f, options, named)))
                    if bar is not None:
                        bar.advance()
                    checkpoint()
            else:
                _map_parallel(files, options, jobs, outcomes, bar, keep)
        except Interrupted as e:
            stopping()
            return outcomes, e
    return outcomes, None


class _Keeper:
    """What the parent keeps of each outcome until the end of the run. With
    --check (and no --diff or --statistics) only warnings, errors and counts
    are printed: outcomes without a warning or an error that count alike are
    kept as one shared outcome, so that memory does not grow with the number
    of files (the list still holds one entry per file)."""

    def __init__(self, options: Options) -> None:
        self.compact = options.check and not options.diff and not options.statistics
        self.shared: dict[tuple[bool, bool, int, int, int, bool], FileOutcome] = {}

    def __call__(self, outcome: FileOutcome) -> FileOutcome:
        if not self.compact or outcome.warning or outcome.error:
            return outcome
        if outcome.new_files:  # rare: kept with the names, to count each new file once
            return _counted(outcome, [(name, "") for name, _ in outcome.new_files])
        key = (
            outcome.changed,
            outcome.written,
            outcome.applied,
            len(outcome.remaining),
            outcome.suppressed,
            outcome.text_changed,
        )
        kept = self.shared.get(key)
        if kept is None:
            kept = self.shared[key] = _counted(outcome, [])
        return kept


def _counted(outcome: FileOutcome, new_files: list[tuple[str, str]]) -> FileOutcome:
    """What --check keeps of an outcome: what it counts, without paths or texts."""
    return FileOutcome(
        "",
        changed=outcome.changed,
        written=outcome.written,
        applied=outcome.applied,
        remaining=[_COUNTED] * len(outcome.remaining),
        suppressed=outcome.suppressed,
        new_files=new_files,
        text_changed=outcome.text_changed,
    )


def _map_parallel(
    files: list[tuple[str, bool]],
    options: Options,
    jobs: int,
    outcomes: list[FileOutcome],
    bar: Any,
    keep: _Keeper,
) -> None:
    """Chunks of files to worker processes, outcomes in order into `outcomes`.
    Interrupted: no more chunks are started; those running end (each file
    written whole or not at all) and their outcomes are kept."""
    from concurrent.futures import ProcessPoolExecutor

    _warm_up()  # once here, not once in every worker (they start as copies)
    size = max(1, min(64, len(files) // (jobs * 8)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=ignore_in_worker)
    futures = [pool.submit(_process_chunk, chunk, options) for chunk in chunks]
    taken = 0  # the futures whose outcomes are in `outcomes`, whole
    try:
        for future in futures:
            done = future.result()
            # A signal here waits until the chunk's outcomes are all kept and
            # counted: none is lost from the summary, none counted twice.
            with critical():
                outcomes.extend(keep(o) for o in done)
                taken += 1
                if bar is not None:
                    bar.advance(len(done))
            checkpoint()
    except Interrupted:
        stopping()
        pool.shutdown(wait=True, cancel_futures=True)
        # The chunks that were running have ended; keep what they did.
        for future in futures[taken:]:
            if future.done() and not future.cancelled() and future.exception() is None:
                outcomes.extend(keep(o) for o in future.result())
        raise
    finally:
        pool.shutdown(wait=True)


def _warm_up() -> None:
    """Import every fix and build the parser (its lexer's regular expressions
    included), which each process would otherwise do on its first file."""
    from dockfix.parser import parse
    from dockfix.registry import load_all

    load_all()  # the index leaves them unimported until a file needs them
    parse("FROM scratch\n")


def _process_chunk(chunk: list[tuple[str, bool]], options: Options) -> list[FileOutcome]:
    return [process_path(f, options, named) for f, named in chunk]


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
    try:
        files, failed = _collect(options, err)
    except Interrupted as e:
        stopping()
        err.write(f"dockfix: interrupted ({e.name}) while looking for Dockerfiles\n")
        return e.exit_code
    if not files and not failed:
        err.write("dockfix: no Dockerfiles found\n")
        return EXIT_OK
    outcomes, interrupted = _map(files, options, err)
    print_outcomes(outcomes, options, out, err)
    if options.statistics:
        print_statistics(outcomes, options, out)
    else:
        print_summary(outcomes, len(outcomes), options, out, err)
    if interrupted is not None:
        err.write(
            f"dockfix: interrupted ({interrupted.name}) after {len(outcomes)} of "
            f"{len(files)} files; the others were not looked at\n"
        )
        return interrupted.exit_code
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
    # The build context is located from the named file's folder (the working
    # directory when it has none), as for a file on disk.
    folder = path.parent if path is not None and path.parent.is_dir() else Path.cwd()
    outcome = process_text(text, _display(path) if path else "-", path, options, folder)
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
    # Text read with surrogateescape (bytes that are not UTF-8) goes back out
    # as the same bytes in diffs and reports, whatever the locale says.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="surrogateescape")
    with handling():
        try:
            return _run(options)
        except Interrupted as e:
            stopping()
            sys.stderr.write(f"dockfix: interrupted ({e.name})\n")
            return e.exit_code


def _run(options: Options) -> int:
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
