"""What a fix writes raises no new hadolint finding and no new BuildKit check
warning, and BuildKit's own parser accepts it.

For every snapshot case of the fixes listed here, the output with
`--unsafe-fixes` is linted beside the input: for each hadolint rule and each
BuildKit check (through tally, which runs BuildKit's checks), the output may
have fewer findings than the input, never more. hadolint and tally run once
over all the files (they are slow to start).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.fixes.test_fix_snapshots import _cases, _load, _run

try:  # BuildKit's parser, where its wheel exists (see tests/test_differential.py)
    import dockerfile as buildkit
except ImportError:
    buildkit = None

FIXES = ("add_to_copy", "copy_dest_slash", "pipefail", "cd_workdir", "merge_runs")
BIN = Path(sys.executable).parent


def _tool(name: str) -> str | None:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name)


def _hadolint(files: list[Path], cwd: Path) -> dict[str, Counter[str]]:
    tool = _tool("hadolint")
    if tool is None:
        pytest.skip("hadolint is not installed")
    out = subprocess.run(
        [tool, "--no-fail", "-f", "json", *map(str, files)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found: dict[str, Counter[str]] = {str(f): Counter() for f in files}
    for item in json.loads(out or "[]"):
        found[str(cwd / item["file"]) if not Path(item["file"]).is_absolute() else item["file"]][
            item["code"]
        ] += 1
    return found


def _buildkit_checks(files: list[Path], cwd: Path) -> dict[str, Counter[str]]:
    tool = _tool("tally")
    if tool is None:
        pytest.skip("tally is not installed")
    out = subprocess.run(
        [
            tool,
            "lint",
            "--format",
            "json",
            "--no-config",
            "--slow-checks",
            "off",
            # Only BuildKit's checks: tally hides a check on a line another rule reports on.
            "--ignore",
            "*",
            "--select",
            "buildkit/*",
            *map(str, files),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found: dict[str, Counter[str]] = {str(f): Counter() for f in files}
    for entry in json.loads(out)["files"]:
        for violation in entry.get("violations") or []:
            if violation["rule"].startswith("buildkit/"):
                found[entry["file"]][violation["rule"]] += 1
    return found


def test_outputs_add_no_lint_findings(tmp_path: Path) -> None:
    cases = [(fix, case) for fix, case in _cases() if fix in FIXES]
    before: list[Path] = []
    after: list[Path] = []
    names: list[str] = []
    for n, (fix, case) in enumerate(cases):
        text, context = _load(case)
        output = _run(text, fix, context, unsafe=True).code
        if buildkit is not None:
            buildkit.parse_string(output)
        for side, files in (("before", before), ("after", after)):
            path = tmp_path / side / f"{n}.Dockerfile"
            path.parent.mkdir(exist_ok=True)
            path.write_text(text if side == "before" else output, encoding="utf-8", newline="")
            files.append(path)
        names.append(f"{fix}/{case.name}")
    assert names, "no cases"
    problems: list[str] = []
    for lint in (_hadolint, _buildkit_checks):
        old, new = lint(before, tmp_path), lint(after, tmp_path)
        for name, a, b in zip(names, before, after, strict=True):
            if old[str(a)]["DL1000"]:
                continue  # hadolint cannot parse the input (its heredoc bugs)
            for code, count in new[str(b)].items():
                if count > old[str(a)][code]:
                    problems.append(f"{name}: {code} {old[str(a)][code]} -> {count}")
    assert not problems, "\n".join(problems)
