"""Argument parsing for the editor's stdin path, without typer.

`dockfix - --stdin-filename Dockerfile` runs on every save, so its start-up
time matters: importing typer costs more than parsing and fixing a file.
This understands only the options that path uses and builds the same
`Options` the typer app builds; anything else returns None and the typer app
handles the command line (tests check both give the same results).
"""

from __future__ import annotations

from dockfix.options import Options, split_csv

_FLAGS = {
    "--diff": ("diff", True),
    "--check": ("check", True),
    "--unsafe-fixes": ("unsafe_fixes", True),
    "--no-unsafe-fixes": ("unsafe_fixes", False),
    "--quiet": ("quiet", True),
    "-q": ("quiet", True),
}
_VALUES = {
    "--stdin-filename": "stdin_filename",
    "--config": "config",
    "--build-context": "build_context",
}
_LISTS = {"--select": "select", "--ignore": "ignore"}


def parse_stdin_args(argv: list[str]) -> Options | None:
    """Options for a stdin invocation, or None if typer should parse `argv`."""
    if "-" not in argv:
        return None
    values: dict[str, object] = {}
    lists: dict[str, list[str]] = {}
    i = 0
    paths = []
    while i < len(argv):
        arg = argv[i]
        name, eq, inline = arg.partition("=")
        if arg == "-":
            paths.append(arg)
        elif arg in _FLAGS:
            key, value = _FLAGS[arg]
            values[key] = value
        elif name in _VALUES or name in _LISTS:
            if eq:
                value_text = inline
            elif i + 1 < len(argv):
                i += 1
                value_text = argv[i]
            else:
                return None
            if name in _VALUES:
                values[_VALUES[name]] = value_text
            else:
                lists.setdefault(_LISTS[name], []).append(value_text)
        else:
            return None
        i += 1
    if paths != ["-"] or (values.get("diff") and values.get("check")):
        return None
    for key, items in lists.items():
        values[key] = split_csv(items)
    return Options(paths=("-",), **values)  # type: ignore[arg-type]
