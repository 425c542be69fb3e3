"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BUILDKIT = SHARED / "conformance" / "buildkit"


def read_exact(path: Path) -> str:
    """Read a file without newline translation."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture
def buildkit_dir() -> Path:
    if not BUILDKIT.is_dir():
        pytest.skip("../shared/conformance/buildkit is not beside the project")
    return BUILDKIT
