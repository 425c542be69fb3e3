"""The `dockfix` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["server"]:
        from dockfix.lsp.server import main as serve  # no typer: starts fast

        sys.exit(serve(args[1:]))
    from dockfix.fastpath import parse_stdin_args

    options = parse_stdin_args(args)
    if options is not None:
        from dockfix.runner import run

        sys.exit(run(options))
    from dockfix.cli import run_cli

    sys.exit(run_cli(args))


if __name__ == "__main__":
    main()
