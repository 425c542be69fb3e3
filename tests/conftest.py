"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import settings

# The property tests replay the same examples on every run (`uv run pytest`
# and CI alike), so that a result does not depend on the draw;
# DOCKFIX_EXPLORE=1 draws new ones, to look for what the fixed set misses.
settings.register_profile("fixed", derandomize=True)
if not os.environ.get("DOCKFIX_EXPLORE"):
    settings.load_profile("fixed")

ROOT = Path(__file__).resolve().parent.parent
# BuildKit's parser cases, vendored (see tests/conformance/buildkit/README.md).
BUILDKIT = ROOT / "tests" / "conformance" / "buildkit"


def read_exact(path: Path) -> str:
    """Read a file without newline translation."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()
