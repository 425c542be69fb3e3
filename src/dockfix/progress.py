"""The command line's progress bar (rich is imported only when one is shown)."""

from __future__ import annotations

from typing import TextIO


class Progress:
    """A transient rich progress bar on `err`."""

    def __init__(self, total: int, err: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self.progress = Bar(
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=err),
            transient=True,
        )
        self.task = self.progress.add_task("dockfix", total=total)

    def __enter__(self) -> Progress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, count: int = 1) -> None:
        self.progress.advance(self.task, count)
