"""Adopting dockfix on a big estate: `--statistics` (counts per fix, as ruff
prints them) and `--add-suppressions` (fix, then silence what remains so CI
can be strict from day one). The installed CLI in a subprocess, on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dockfix

DOCKFIX = str(Path(sys.executable).parent / "dockfix")

PYTHON_APP = (
    "FROM python:3.12-slim\n"
    "ENV A=1\n"
    "ENV B=2\n"
    "RUN apt-get update && apt-get install -y curl\n"
    "CMD python app.py\n"
)
# CRLF, the backtick escape, lower-case keywords, a comment line inside a
# continuation, an indented instruction, a heredoc, no final newline.
ODD = (
    "# escape=`\r\n"
    "from debian:12\r\n"
    "run apt-get update `\r\n"
    "  # the tools\r\n"
    "  && apt-get install -y git\r\n"
    "    env X=1\r\n"
    "    env Y=2\r\n"
    "RUN <<EOF\r\n"
    "echo hi\r\n"
    "EOF\r\n"
    'cmd ["bash", "run.sh"]'
)
CLEAN = 'FROM alpine:3.20\nUSER nobody\nCMD ["sh"]\n'
BROKEN = "FROM alpine:3.20\nENV NOVALUE\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKFIX")}
    return subprocess.run(
        [DOCKFIX, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def estate(root: Path, broken: bool = False) -> Path:
    files = {"a/Dockerfile": PYTHON_APP, "b/Dockerfile": ODD, "c/Dockerfile": CLEAN}
    if broken:
        files["d/Dockerfile"] = BROKEN
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """The files under `root`, less dockfix's result cache."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".dockfix_cache" not in p.parts
    }


# --- --statistics ---------------------------------------------------------------


def test_statistics_count_findings_per_fix_as_ruff_prints_them(tmp_path: Path) -> None:
    estate(tmp_path)
    before = snapshot(tmp_path)
    done = run("--statistics", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        "2\tDF001\t[*] merge-env\n"
        "2\tDF007\t[*] apt-hygiene\n"
        "2\tDF009\t[ ] non-root-user\n"
        "1\tDF006\t[ ] python-env\n"
        "1\tDF008\t[*] json-args\n"
        "1\tDF022\t[*] instruction-casing\n"
        "Found 9 findings.\n"
        "[*] 6 fixable with `--write` (3 unsafe fixes available with `--write --unsafe-fixes`).\n"
    )
    assert done.stderr == ""
    assert snapshot(tmp_path) == before  # counting changes nothing

    unsafe = run("--statistics", "--unsafe-fixes", ".", cwd=tmp_path)
    assert "2\tDF009\t[*] non-root-user\n" in unsafe.stdout
    assert unsafe.stdout.endswith("Found 9 findings.\n[*] 9 fixable with `--write`.\n")

    only = run("--statistics", "--select", "non-root-user,python-env", ".", cwd=tmp_path)
    assert only.stdout == (
        "2\tDF009\tnon-root-user\n"
        "1\tDF006\tpython-env\n"
        "Found 3 findings.\n"
        "3 unsafe fixes available with `--write --unsafe-fixes`.\n"
    )
    quiet = run("--statistics", "--quiet", "--select", "DF009", ".", cwd=tmp_path)
    assert quiet.stdout == "2\tDF009\tnon-root-user\n"


def test_statistics_align_counts_and_codes(tmp_path: Path) -> None:
    for i in range(12):
        path = tmp_path / f"s{i:02}" / "Dockerfile"
        path.parent.mkdir()
        path.write_text("FROM alpine:3.20\nENV A=1\nENV B=2\nUSER nobody\n")
    (tmp_path / "x" / "Dockerfile").parent.mkdir()
    # A shell command with a comment line inside: reported, not fixed.
    (tmp_path / "x" / "Dockerfile").write_text(
        'FROM alpine:3.20\nUSER nobody\nCMD echo "$HOME" \\\n# note\n  && true\n'
    )
    done = run("--statistics", "--select", "merge-env,json-args", ".", cwd=tmp_path)
    assert done.stdout == (
        "12\tDF001\t[*] merge-env\n"
        " 1\tDF008\t[ ] json-args\n"  # reported without a fix
        "Found 13 findings.\n"
        "[*] 12 fixable with `--write`.\n"
    )


def test_statistics_as_json(tmp_path: Path) -> None:
    estate(tmp_path)
    done = run("--statistics", "--output-format", "json", ".", cwd=tmp_path)
    assert done.returncode == 1
    rows = json.loads(done.stdout)
    assert rows[0] == {
        "code": "DF001",
        "name": "merge-env",
        "count": 2,
        "fixable": True,
        "fixable_count": 2,
    }
    assert [(r["code"], r["count"], r["fixable"]) for r in rows] == [
        ("DF001", 2, True),
        ("DF007", 2, True),
        ("DF009", 2, False),
        ("DF006", 1, False),
        ("DF008", 1, True),
        ("DF022", 1, True),
    ]


def test_statistics_after_write_count_what_remains(tmp_path: Path) -> None:
    estate(tmp_path)
    done = run("--write", "--statistics", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == (
        "2\tDF007\tapt-hygiene\n"
        "2\tDF009\tnon-root-user\n"
        "1\tDF006\tpython-env\n"
        "Found 5 findings.\n"
        "5 unsafe fixes available with `--write --unsafe-fixes`.\n"
    )
    assert (
        (tmp_path / "a" / "Dockerfile").read_text().startswith("FROM python:3.12-slim\nENV A=1 \\")
    )


def test_statistics_with_an_unparsable_file_and_nothing_to_report(tmp_path: Path) -> None:
    estate(tmp_path, broken=True)
    done = run("--statistics", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "d/Dockerfile:2:5: ENV must have two arguments: expected ENV KEY=value\n"
    assert "Found 9 findings." in done.stdout  # the other files are counted
    clean = run("--statistics", "c", cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


def test_statistics_refuse_modes_that_do_not_report(tmp_path: Path) -> None:
    estate(tmp_path)
    for extra in (["--diff"], ["--check"], ["--add-suppressions"]):
        done = run("--statistics", *extra, ".", cwd=tmp_path)
        assert done.returncode == 2, extra
        assert done.stderr.startswith("dockfix: --statistics cannot be combined")
    done = run("--statistics", "-", cwd=tmp_path)
    assert done.returncode == 2 and "stdin" in done.stderr


# --- --add-suppressions ---------------------------------------------------------


def test_add_suppressions_fixes_then_silences_what_remains(tmp_path: Path) -> None:
    estate(tmp_path)
    done = run("--add-suppressions", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "2 files fixed (6 fixes applied), 1 file left unchanged, 0 findings remaining, "
        "4 suppressions added\n"
    )
    assert (tmp_path / "a" / "Dockerfile").read_text() == (
        "# dockfix: ignore=python-env,non-root-user\n"
        "FROM python:3.12-slim\n"
        "ENV A=1 \\\n"
        "    B=2\n"
        "# dockfix: ignore=apt-hygiene\n"
        "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        'CMD ["python", "app.py"]\n'
    )
    # CRLF kept, the directive stays first, the indentation of the instruction
    # is the comment's, the comment inside the continuation is untouched, and
    # still no final newline.
    assert (tmp_path / "b" / "Dockerfile").read_bytes().decode() == (
        "# escape=`\r\n"
        "# dockfix: ignore=non-root-user\r\n"
        "from debian:12\r\n"
        "# dockfix: ignore=apt-hygiene\r\n"
        "run apt-get update `\r\n"
        "  # the tools\r\n"
        "  && apt-get install -y git `\r\n"
        "  && rm -rf /var/lib/apt/lists/*\r\n"
        "    env X=1 `\r\n"
        "      Y=2\r\n"  # indented as the file continues lines (2 more)
        "run <<EOF\r\n"
        "echo hi\r\n"
        "EOF\r\n"
        'cmd ["bash", "run.sh"]'
    )
    assert (tmp_path / "c" / "Dockerfile").read_text() == CLEAN

    # A second run reports nothing, and adds nothing.
    after = snapshot(tmp_path)
    report = run(".", cwd=tmp_path)
    assert (report.returncode, report.stdout, report.stderr) == (0, "", "")
    assert run("--check", ".", cwd=tmp_path).returncode == 0
    assert run("--statistics", ".", cwd=tmp_path).stdout == ""
    again = run("--add-suppressions", ".", cwd=tmp_path)
    assert again.returncode == 0
    assert "0 files fixed (0 fixes applied)" in again.stderr and "0 suppressions" in again.stderr
    assert snapshot(tmp_path) == after
    # BuildKit reads the same instructions as it did after the fixes alone.
    fixed_only = tmp_path / "fixed-only"
    estate(fixed_only)
    run("--write", ".", cwd=fixed_only)
    for rel in ("a/Dockerfile", "b/Dockerfile"):
        suppressed = dockfix.parse((tmp_path / rel).read_bytes().decode())
        plain = dockfix.parse((fixed_only / rel).read_bytes().decode())
        assert suppressed.dump() == plain.dump()


def test_add_suppressions_with_indentation_bom_and_an_existing_pragma(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(
        "\ufeffFROM python:3.12-slim AS base\n"
        "\t# hadolint ignore=DL3008\n"
        "\tRUN apt-get install -y curl\n".encode()
    )
    done = run(
        "--add-suppressions", "--select", "apt-hygiene,python-env", "Dockerfile", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    # The BOM stays first; the new comment goes directly above the instruction,
    # below the pragma already there, with the instruction's indentation.
    assert path.read_bytes().decode() == (
        "\ufeff# dockfix: ignore=python-env\n"
        "FROM python:3.12-slim AS base\n"
        "\t# hadolint ignore=DL3008\n"
        "\t# dockfix: ignore=apt-hygiene\n"
        "\tRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    )
    done = run("--select", "apt-hygiene,python-env", "Dockerfile", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")


def test_add_suppressions_settles_a_long_row_of_runs(tmp_path: Path) -> None:
    """Each RUN suppressed from merge-runs leaves the ones after it a row of
    their own to report, one round each: eight rounds for eight RUNs (three
    had been the limit, an internal error on real files)."""
    runs = "".join(f"RUN cp /src/include/h{n}.h /usr/include/\n" for n in range(8))
    (tmp_path / "Dockerfile").write_text(f'FROM debian:12\n{runs}CMD ["app"]\n')
    done = run("--add-suppressions", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "Dockerfile").read_text()
    assert "merge-runs" in text and "internal error" not in done.stderr
    again = run("--check", "--unsafe-fixes", ".", cwd=tmp_path)
    assert again.returncode == 0 and "0 findings remaining" in again.stdout, again.stdout


def test_add_suppressions_with_diff_writes_nothing(tmp_path: Path) -> None:
    estate(tmp_path)
    before = snapshot(tmp_path)
    # The result cache keeps --diff's result apart from --add-suppressions'.
    assert "# dockfix: ignore" not in run("--diff", ".", cwd=tmp_path).stdout
    done = run("--add-suppressions", "--diff", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert "+# dockfix: ignore=python-env,non-root-user\n" in done.stdout
    assert snapshot(tmp_path) == before


def test_add_suppressions_leaves_unparsable_files_and_exits_2(tmp_path: Path) -> None:
    estate(tmp_path, broken=True)
    done = run("--add-suppressions", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "d/Dockerfile:2:5: ENV must have two arguments" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "d" / "Dockerfile").read_text() == BROKEN
    assert "# dockfix: ignore=" in (tmp_path / "a" / "Dockerfile").read_text()


def test_add_suppressions_on_stdin(tmp_path: Path) -> None:
    done = subprocess.run(
        [DOCKFIX, "-", "--add-suppressions", "--stdin-filename", "Dockerfile"],
        cwd=tmp_path,
        input=PYTHON_APP,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# dockfix: ignore=python-env,non-root-user\nFROM python")


def test_a_suppression_above_a_last_line_without_newline_takes_the_files_ending(
    tmp_path: Path,
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b'FROM debian:12\r\nUSER nobody\r\nCMD ["sh"]\r\nRUN apt-get install -y curl')
    done = run("--add-suppressions", "Dockerfile", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == (
        b'FROM debian:12\r\nUSER nobody\r\nCMD ["sh"]\r\n# dockfix: ignore=apt-hygiene\r\n'
        b"RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"
    )
