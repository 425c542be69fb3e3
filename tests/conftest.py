"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import settings

# CI (`.ci/run` sets DOCKFIX_CI) replays the same examples every run, so that
# a result does not depend on the draw; a local `uv run pytest` draws new ones
# and may find what CI's fixed set does not.
settings.register_profile("ci", derandomize=True)
if os.environ.get("DOCKFIX_CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
# BuildKit's parser cases, vendored (see tests/conformance/buildkit/README.md).
BUILDKIT = ROOT / "tests" / "conformance" / "buildkit"


def read_exact(path: Path) -> str:
    """Read a file without newline translation."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()
