"""The `dockfix` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    from dockfix.fastpath import parse_stdin_args

    options = parse_stdin_args(args)
    if options is not None:
        from dockfix.runner import run

        sys.exit(run(options))
    from dockfix.cli import run_cli

    sys.exit(run_cli(args))


if __name__ == "__main__":
    main()
