"""Errors that dockfix reports to its users."""

from __future__ import annotations


class ParseError(ValueError):
    """A Dockerfile that BuildKit would reject.

    `line` and `column` are 1-based; `message` says what was expected.
    """

    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"
