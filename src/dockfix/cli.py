"""The typer command line. `dockfix.__main__` routes the editor's stdin path
around it (see `fastpath`) so format-on-save does not pay for importing typer."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dockfix import __version__
from dockfix.fixdocs import explain, list_fixes
from dockfix.options import Options, split_csv
from dockfix.registry import UnknownFix
from dockfix.report import OUTPUT_FORMATS
from dockfix.runner import EXIT_ERROR, run

app = typer.Typer(
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dockfix {__version__}")
        raise typer.Exit()


@app.command()
def main(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Dockerfiles or folders to search; `-` reads stdin.", show_default=False
        ),
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff of the fixes; write nothing.")
    ] = False,
    write: Annotated[bool, typer.Option("--write", help="Apply the fixes in place.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Only the exit status and a one-line summary.")
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option(help="The name of the file read from stdin (for config and messages)."),
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Fixes to run (codes, names or code prefixes).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Fixes not to run.")] = None,
    unsafe_fixes: Annotated[
        bool | None,
        typer.Option("--unsafe-fixes/--no-unsafe-fixes", help="Also apply unsafe fixes."),
    ] = None,
    build_context: Annotated[
        str | None,
        typer.Option(help="The build context folder (default: each Dockerfile's folder)."),
    ] = None,
    config: Annotated[
        str | None, typer.Option(help="Use this configuration file for every path.")
    ] = None,
    output_format: Annotated[
        str, typer.Option(help="How to print findings: concise, json, github or sarif.")
    ] = "concise",
    statistics: Annotated[
        bool,
        typer.Option(
            "--statistics", help="Count the findings per fix (what remains, with --write)."
        ),
    ] = False,
    add_suppressions: Annotated[
        bool,
        typer.Option(
            "--add-suppressions",
            help="Apply the fixes, then add a `# dockfix: ignore=...` comment above every "
            "instruction that still has findings (with --diff: show, write nothing).",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour the diff.")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: CPUs).")
    ] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Show a progress bar.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the result cache.")
    ] = False,
    cache_dir: Annotated[
        str | None,
        typer.Option(help="Where to keep the result cache (default: .dockfix_cache)."),
    ] = None,
    list_fixes_: Annotated[
        bool, typer.Option("--list-fixes", help="List the fixes and exit.")
    ] = False,
    explain_: Annotated[
        str | None, typer.Option("--explain", help="Explain a fix (code or name) and exit.")
    ] = None,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Find known problems in Dockerfiles and fix them, touching nothing else.

    `dockfix server` runs the language server for editors (LSP over stdio).
    """
    if list_fixes_:
        typer.echo(list_fixes(), nl=False)
        raise typer.Exit(0)
    if explain_ is not None:
        try:
            typer.echo(explain(explain_), nl=False)
        except UnknownFix as e:
            typer.echo(f"dockfix: {e}", err=True)
            raise typer.Exit(EXIT_ERROR) from None
        raise typer.Exit(0)
    if output_format not in OUTPUT_FORMATS:
        typer.echo(f"dockfix: --output-format must be one of {', '.join(OUTPUT_FORMATS)}", err=True)
        raise typer.Exit(EXIT_ERROR)
    if sum((diff, write, check)) > 1:
        typer.echo("dockfix: choose one of --diff, --write and --check", err=True)
        raise typer.Exit(EXIT_ERROR)
    if statistics and (diff or check or add_suppressions):
        typer.echo(
            "dockfix: --statistics cannot be combined with --diff, --check or --add-suppressions",
            err=True,
        )
        raise typer.Exit(EXIT_ERROR)
    if add_suppressions and check:
        typer.echo("dockfix: --add-suppressions cannot be combined with --check", err=True)
        raise typer.Exit(EXIT_ERROR)
    options = Options(
        paths=tuple(paths or ()),
        diff=diff,
        write=write,
        check=check,
        stdin_filename=stdin_filename,
        select=split_csv(select),
        ignore=split_csv(ignore),
        unsafe_fixes=unsafe_fixes,
        config=config,
        quiet=quiet,
        color=color,
        jobs=jobs,
        progress=progress,
        build_context=build_context,
        output_format=output_format,
        no_cache=no_cache,
        cache_dir=cache_dir,
        statistics=statistics,
        add_suppressions=add_suppressions,
    )
    try:
        code = run(options)
    except UnknownFix as e:
        typer.echo(f"dockfix: {e}", err=True)
        code = EXIT_ERROR
    raise typer.Exit(code)


def run_cli(argv: list[str]) -> int:
    """Run the app; a usage error is one line on stderr and exit code 2."""
    try:
        code = app(args=argv, prog_name="dockfix", standalone_mode=False)
    except Exception as e:
        # click's UsageError and friends (typer vendors click, so test the shape).
        message = getattr(e, "format_message", None)
        if callable(message) and isinstance(getattr(e, "exit_code", None), int):
            sys.stderr.write(f"dockfix: {message()} (see `dockfix --help`)\n")
            return EXIT_ERROR
        raise
    return code if isinstance(code, int) else 0
