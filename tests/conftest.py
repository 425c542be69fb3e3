"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BuildKit's parser cases, vendored (see tests/conformance/buildkit/README.md).
BUILDKIT = ROOT / "tests" / "conformance" / "buildkit"


def read_exact(path: Path) -> str:
    """Read a file without newline translation."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()
