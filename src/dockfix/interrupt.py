"""SIGINT and SIGTERM during a run: stop between files, never inside a write.

While `handling()` is active, either signal raises `Interrupted` in the main
thread, except inside `critical()` blocks (writing a file), where it is held
until the next `checkpoint()` (after the file's outcome is recorded). After
the first interruption, `stopping()` ignores further signals while the partial
summary is printed. Worker processes ignore both (`ignore_in_worker`): the
parent stops handing out files and waits for those in progress, which each end
written whole or not at all.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)

_held = 0
_pending: list[int] = []


class Interrupted(BaseException):
    """A run stopped by a signal (a BaseException, as KeyboardInterrupt is)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as shells report it: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _handler(signum: int, frame: FrameType | None) -> None:
    if _held:
        _pending.append(signum)
        return
    raise Interrupted(signum)


@contextlib.contextmanager
def handling() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into `Interrupted` for the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, _handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        _pending.clear()


@contextlib.contextmanager
def critical() -> Iterator[None]:
    """Hold SIGINT and SIGTERM during the block; the next `checkpoint()` raises
    `Interrupted` for a signal that came meanwhile (so the caller can first
    record what the block did)."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1


def checkpoint() -> None:
    """Raise `Interrupted` for a signal held earlier."""
    if not _held and _pending:
        signum = _pending[0]
        _pending.clear()
        raise Interrupted(signum)


def stopping() -> None:
    """Ignore further SIGINT and SIGTERM (the run is already stopping)."""
    if threading.current_thread() is threading.main_thread():
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)


def ignore_in_worker() -> None:
    """For worker processes: the parent decides when to stop."""
    for s in SIGNALS:
        signal.signal(s, signal.SIG_IGN)
