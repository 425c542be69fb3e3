"""scripts/measure.py: its matching of findings, its diff splitting, and one
run end to end on two small Dockerfiles written here."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("measure", ROOT / "scripts" / "measure.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["measure"] = module
    spec.loader.exec_module(module)
    return module


measure = load()


def finding(rule: str, text: str, line: int = 1) -> object:
    return measure.Finding("hadolint", rule, line, text, "")


def test_a_finding_that_moves_is_not_new() -> None:
    before = [finding("DL3059", "RUN a"), finding("DL3059", "RUN b")]
    after = [finding("DL3059", "RUN a && c", 3), finding("DL3059", "RUN b", 4)]
    assert measure.new_findings(before, after) == []


def test_a_rise_names_the_unmatched_findings() -> None:
    before = [finding("DL3015", "RUN apt-get install -y x")]
    after = [
        finding("DL3015", "RUN apt-get install -y x"),
        finding("DL3015", "RUN apt-get install -y y", 5),
        finding("DL3066", "USER app", 7),
    ]
    new = measure.new_findings(before, after)
    assert [(f.rule, f.text) for f in new] == [
        ("DL3015", "RUN apt-get install -y y"),
        ("DL3066", "USER app"),
    ]


def test_split_diff_keeps_each_file_and_new_files() -> None:
    diff = (
        "--- a/x/Dockerfile\n+++ b/x/Dockerfile\n@@ -1 +1 @@\n-ENV a b\n+ENV a=b\n"
        "--- a/y/Dockerfile\n+++ b/y/Dockerfile\n@@ -1,2 +1 @@\n--- comment\n FROM a\n"
        "diff --git a/y/.dockerignore b/y/.dockerignore\nnew file mode 100644\n"
        "--- /dev/null\n+++ b/y/.dockerignore\n@@ -0,0 +1 @@\n+.git\n"
    )
    patches = measure.split_diff(diff)
    assert list(patches) == ["x/Dockerfile", "y/Dockerfile", "y/.dockerignore"]
    assert patches["y/Dockerfile"].endswith("--- comment\n FROM a\n")
    assert patches["y/.dockerignore"].startswith("diff --git")


def test_diffs_of_crlf_files_apply(tmp_path: Path) -> None:
    """dockfix's --diff output reaches the patches with its CRs (a text-mode
    capture turned CRLF into LF, and git apply rejected the patches)."""
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_bytes(b"FROM debian:12\r\nENV A 1\r\nCMD x\r\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    tree = measure.Tree(tmp_path, ["svc/Dockerfile"])
    run = measure.run_dockfix(tree, tree.files, ["--diff"], 1)
    patch = measure.split_diff(run.output)["svc/Dockerfile"]
    assert "+ENV A=1\r\n" in patch
    check = subprocess.run(
        ["git", "apply", "--check", "-"], input=patch.encode(), cwd=tmp_path, capture_output=True
    )
    assert check.returncode == 0, check.stderr


def test_common_root_keeps_the_outermost_contexts(tmp_path: Path) -> None:
    files = [tmp_path / "r" / "a" / "Dockerfile", tmp_path / "r" / "a" / "b" / "Dockerfile"]
    files.append(tmp_path / "r" / "c" / "Dockerfile")
    root, tops = measure.common_root(files)
    assert root == tmp_path / "r"
    assert tops == [tmp_path / "r" / "a", tmp_path / "r" / "c"]


@pytest.mark.skipif(
    not (Path(sys.executable).parent / "tally").exists() and not shutil.which("tally"),
    reason="tally is not installed",
)
def test_a_run_cut_in_two_is_broken() -> None:
    before = "FROM debian:12\nRUN a || (git clone https://x /s && cd /s && make)\n"
    cut = "FROM debian:12\nRUN a || (git clone https://x /s\nWORKDIR /s\nRUN make)\n"
    assert measure.shell_broken(before, cut) is not None
    assert measure.shell_broken(before, before.replace("make", "make all")) is None
    # A file whose own RUNs bash cannot read is not judged by it.
    odd = "FROM debian:12\nRUN if then\n"
    assert measure.shell_broken(odd, odd + "RUN (\n") is None


def test_end_to_end(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "one").mkdir(parents=True)
    (corpus / "two").mkdir()
    (corpus / "one" / "Dockerfile").write_text(
        "FROM debian:12\nENV a b\nRUN apt-get update && apt-get install -y curl\nCMD echo hi\n"
    )
    (corpus / "two" / "Dockerfile").write_text("FROM alpine:3.20\nENV x=1\n")
    # A file neither BuildKit nor dockfix reads: listed with both verdicts.
    (corpus / "three").mkdir()
    (corpus / "three" / "Dockerfile").write_text("FROM busybox\nENV PATH\n")
    out = tmp_path / "out.json"
    report = tmp_path / "report.md"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "measure.py"),
            str(corpus),
            *("--json", str(out), "--markdown", str(report), "--jobs", "1"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["files"] == 3
    bad = str(corpus / "three" / "Dockerfile")
    assert bad in data["dockfix_errors"]["unsafe"]
    assert data["buildkit_rejects"] == [bad]
    assert f"- `{bad}` (BuildKit rejects it too): " in report.read_text()
    json_args = data["rules"]["JSONArgsRecommended"]
    assert (json_args["before"], json_args["safe"]) == (1, 0)
    assert data["rules"]["DL3009"]["before"] == 1
    assert data["rules"]["DL3009"]["safe"] == 0
    assert data["broken"] == []
    assert data["diff_check"]["rejected"] == {}
    assert data["diff_check"]["different_from_write"] == []
    assert "| JSONArgsRecommended | 1 | 0 | 0 | 100.0% |" in proc.stdout
    # The corpus is never touched.
    assert (corpus / "one" / "Dockerfile").read_text().startswith("FROM debian:12\nENV a b\n")
    assert not (corpus / "one" / ".dockerignore").exists()
