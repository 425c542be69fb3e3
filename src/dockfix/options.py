"""The command line's options, as both command-line parsers build them
(the typer app in `dockfix.cli` and the stdin path's in `dockfix.fastpath`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dockfix.core import Overrides


@dataclass(frozen=True)
class Options:
    """The command line's options, as every front end builds them."""

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
    cache_dir: str | None = None  # None: $DOCKFIX_CACHE_DIR or .dockfix_cache
    no_cache: bool = False
    output_format: str = "concise"  # how findings are printed: see report.OUTPUT_FORMATS
    statistics: bool = False  # counts per fix instead of one row per finding
    add_suppressions: bool = False  # fix, then suppress what remains (writes unless --diff)

    @property
    def overrides(self) -> Overrides:
        """What these options set on top of the configuration files."""
        return Overrides(
            config=Path(self.config) if self.config else None,
            select=frozenset(self.select) if self.select is not None else None,
            ignore=frozenset(self.ignore) if self.ignore is not None else None,
            unsafe_fixes=self.unsafe_fixes,
        )

    @property
    def fixing(self) -> bool:
        """Whether files are fixed (diff, write, check, stdin) rather than only reported."""
        return (
            self.diff or self.write or self.check or self.add_suppressions or self.paths == ("-",)
        )

    @property
    def writes(self) -> bool:
        """Whether fixed files are written back (--write, or --add-suppressions without --diff)."""
        return self.write or (self.add_suppressions and not self.diff)


def split_csv(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """`--select a,b --select c` → ("a", "b", "c")."""
    if values is None:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())
