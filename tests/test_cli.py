"""The installed `dockfix` console script, run in a subprocess on real files."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

DOCKFIX = str(Path(sys.executable).parent / "dockfix")

UNTIDY = (
    "FROM python:3.12-slim\n"
    "ENV PYTHONDONTWRITEBYTECODE=1\n"
    "ENV PYTHONUNBUFFERED=1\n"
    'ENV PATH="${PATH}:/opt/venv/bin"\n'
    "RUN apt-get update && apt-get install -y --no-install-recommends curl\n"
    "USER nobody\n"
    'CMD ["python", "-m", "app"]\n'
)
TIDY = (
    "FROM python:3.12-slim\n"
    "ENV PYTHONDONTWRITEBYTECODE=1 \\\n"
    "    PYTHONUNBUFFERED=1 \\\n"
    '    PATH="/opt/venv/bin:${PATH}"\n'
    "RUN apt-get update && apt-get install -y --no-install-recommends curl"
    " && rm -rf /var/lib/apt/lists/*\n"
    "USER nobody\n"
    'CMD ["python", "-m", "app"]\n'
)


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKFIX")}
    return subprocess.run(
        [DOCKFIX, *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=120
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return path


def test_version_and_help(tmp_path: Path) -> None:
    version = run("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith(b"dockfix ")
    help_ = run("--help", cwd=tmp_path)
    assert help_.returncode == 0
    for flag in (b"--diff", b"--write", b"--check", b"--stdin-filename", b"--unsafe-fixes"):
        assert flag in help_.stdout


def test_report_lists_findings_and_exits_1(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", UNTIDY)
    done = run("Dockerfile", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.decode().splitlines()
    assert (
        "Dockerfile:2:1: DF001 [merge-env] 3 consecutive ENV instructions can be one [*]" in lines
    )
    assert any(line.startswith("Dockerfile:5:1: DF007 [apt-hygiene]") for line in lines)
    assert (tmp_path / "Dockerfile").read_text() == UNTIDY  # nothing written


def test_clean_file_exits_0(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", 'FROM alpine\nUSER nobody\nCMD ["sh"]\n')
    done = run("Dockerfile", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert done.stdout == b""


@pytest.mark.parametrize(
    "variant", ["lf", "crlf", "no-final-newline", "crlf-no-final-newline", "bom"]
)
def test_diff_is_a_patch_that_git_and_patch_apply(tmp_path: Path, variant: str) -> None:
    text = UNTIDY
    if "crlf" in variant:
        text = text.replace("\n", "\r\n")
    if "no-final-newline" in variant:
        text = text.rstrip("\r\n")
    if variant == "bom":
        text = "\ufeff" + text
    write(tmp_path / "app" / "Dockerfile", text)
    diff = run("--diff", "app/Dockerfile", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout.startswith(b"--- a/app/Dockerfile\n+++ b/app/Dockerfile\n")
    patch_file = tmp_path / "fix.patch"
    patch_file.write_bytes(diff.stdout)

    # What --write writes ...
    written_dir = tmp_path / "written"
    shutil.copytree(tmp_path / "app", written_dir / "app")
    assert run("--write", "app/Dockerfile", cwd=written_dir).returncode == 0
    expected = (written_dir / "app" / "Dockerfile").read_bytes()
    assert expected != text.encode()

    # ... is exactly what `git apply` and `patch -p1` make of the diff.
    for tool in (["git", "apply", str(patch_file)], ["patch", "-s", "-p1", "-i", str(patch_file)]):
        if shutil.which(tool[0]) is None:
            pytest.skip(f"{tool[0]} is not installed")
        work = tmp_path / tool[0]
        shutil.copytree(tmp_path / "app", work / "app")
        if tool[0] == "git":
            subprocess.run(["git", "init", "-q"], cwd=work, check=True)
        subprocess.run(tool, cwd=work, check=True)
        assert (work / "app" / "Dockerfile").read_bytes() == expected, tool[0]


def test_diff_of_an_absolute_or_dotted_path_applies_from_the_root(tmp_path: Path) -> None:
    """Absolute paths get git's `a/tmp/…` headers (not `a//tmp/…`), `./x` gets
    `a/x`: `patch -p1` applies them from `/` and from the folder given."""
    path = write(tmp_path / "app" / "Dockerfile", UNTIDY)
    elsewhere = tmp_path / "elsewhere"  # paths under the working folder are shown relative
    elsewhere.mkdir()
    absolute = run("--diff", str(path), cwd=elsewhere)
    name = str(path).lstrip("/")
    assert absolute.stdout.startswith(f"--- a/{name}\n+++ b/{name}\n".encode())
    dotted = run("--diff", "./app/Dockerfile", cwd=tmp_path)
    assert dotted.stdout.startswith(b"--- a/app/Dockerfile\n+++ b/app/Dockerfile\n")
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    patch_file = tmp_path / "fix.patch"
    patch_file.write_bytes(dotted.stdout)
    subprocess.run(["patch", "-s", "-p1", "-i", str(patch_file)], cwd=tmp_path, check=True)
    assert path.read_text() == TIDY
    write(path, UNTIDY)
    patch_file.write_bytes(absolute.stdout)
    subprocess.run(["patch", "-s", "-p1", "-i", str(patch_file)], cwd="/", check=True)
    assert path.read_text() == TIDY


def test_diff_exits_0_when_nothing_changes(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", TIDY)
    done = run("--diff", "Dockerfile", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == b""


def test_write_fixes_in_place_keeping_mode_bom_and_crlf(tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", "\ufeff" + UNTIDY.replace("\n", "\r\n"))
    path.chmod(0o640)
    tidy = write(tmp_path / "sub" / "Dockerfile", TIDY)
    before = tidy.stat().st_mtime_ns
    done = run("--write", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == ("\ufeff" + TIDY.replace("\n", "\r\n")).encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert tidy.stat().st_mtime_ns == before  # unchanged files are not rewritten
    assert b"1 file fixed" in done.stderr and b"1 file left unchanged" in done.stderr
    assert not list(tmp_path.glob(".*.dockfix"))  # no temporary files left


def test_write_lists_what_remains_and_exits_1(tmp_path: Path) -> None:
    write(
        tmp_path / "Dockerfile",
        'FROM debian\nRUN uv pip install --locked -r r.txt\nUSER nobody\nCMD ["app"]\n',
    )
    done = run("--write", "Dockerfile", cwd=tmp_path)
    assert done.returncode == 1
    assert b"Dockerfile:2:1: DF005 [uv-flags]" in done.stdout
    assert b"1 finding remaining" in done.stderr


def test_check_prints_one_line(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", UNTIDY)
    done = run("--check", "Dockerfile", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.decode().count("\n") == 1
    assert b"1 file would be fixed" in done.stdout


def test_stdin_writes_the_whole_fixed_text(tmp_path: Path) -> None:
    done = run("-", "--stdin-filename", "Dockerfile", cwd=tmp_path, stdin=UNTIDY.encode())
    assert done.returncode == 0, done.stderr
    assert done.stdout == TIDY.encode()
    same = run("-", "--stdin-filename", "Dockerfile", cwd=tmp_path, stdin=TIDY.encode())
    assert same.returncode == 0 and same.stdout == TIDY.encode()


def test_stdin_fast_path_and_typer_path_agree(tmp_path: Path) -> None:
    text = UNTIDY.replace("\n", "\r\n").encode()
    for extra in ([], ["--unsafe-fixes"], ["--select", "merge-env"], ["--diff"]):
        fast = run("-", "--stdin-filename", "Dockerfile", *extra, cwd=tmp_path, stdin=text)
        slow = run(
            "--no-color", "-", "--stdin-filename", "Dockerfile", *extra, cwd=tmp_path, stdin=text
        )
        assert (fast.returncode, fast.stdout) == (slow.returncode, slow.stdout), extra


def test_stdin_parse_error_prints_nothing_and_exits_2(tmp_path: Path) -> None:
    done = run("-", "--stdin-filename", "Dockerfile", cwd=tmp_path, stdin=b"FROM a\nENV PATH\n")
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().startswith("Dockerfile:2:")
    assert b"Traceback" not in done.stderr


def test_bad_file_is_reported_and_the_others_are_still_fixed(tmp_path: Path) -> None:
    bad = write(tmp_path / "a" / "Dockerfile", "FROM a\nRUN <<EOF\nnever ends\n")
    good = write(tmp_path / "b" / "Dockerfile", UNTIDY)
    done = run("--write", "a/Dockerfile", "b/Dockerfile", "missing/Dockerfile", cwd=tmp_path)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "a/Dockerfile:2:1: unterminated heredoc" in err
    assert "missing/Dockerfile: no such file or directory" in err
    assert "Traceback" not in err
    assert bad.read_text() == "FROM a\nRUN <<EOF\nnever ends\n"
    assert good.read_text() == TIDY


def test_directories_find_dockerfiles_by_name_and_respect_gitignore(tmp_path: Path) -> None:
    for name in (
        "Dockerfile",
        "Dockerfile.dev",
        "api.Dockerfile",
        "web.dockerfile",
        "Containerfile",
        "Containerfile.ci",
        "ignored/Dockerfile",
        "notes.txt",
    ):
        write(tmp_path / "repo" / name, UNTIDY)
    (tmp_path / "repo" / "Dockerfile.d").mkdir()  # a folder named like one: skipped
    write(tmp_path / "repo" / ".gitignore", "ignored/\n")
    write(tmp_path / "repo" / "node_modules" / "Dockerfile", UNTIDY)
    done = run("--check", "repo", cwd=tmp_path)
    assert b"6 files would be fixed" in done.stdout
    named = run("--check", "repo/notes.txt", cwd=tmp_path)  # named files whatever their name
    assert b"1 file would be fixed" in named.stdout


def test_gitignore_applies_below_its_folder_only(tmp_path: Path) -> None:
    # A tree of repositories: each one's .gitignore applies to its own files,
    # from whichever folder the run is named (`.` included).
    write(tmp_path / "repos" / "a" / ".gitignore", "build/\n*.tmp.Dockerfile\n")
    write(tmp_path / "repos" / "a" / "build" / "Dockerfile", UNTIDY)
    write(tmp_path / "repos" / "a" / "x.tmp.Dockerfile", UNTIDY)
    write(tmp_path / "repos" / "a" / "app" / "Dockerfile", UNTIDY)
    write(tmp_path / "repos" / "b" / "build" / "Dockerfile", UNTIDY)
    write(tmp_path / "repos" / "b" / "x.tmp.Dockerfile", UNTIDY)
    write(tmp_path / "repos" / "b" / "sub" / ".gitignore", "/Dockerfile\n")
    write(tmp_path / "repos" / "b" / "sub" / "Dockerfile", UNTIDY)
    write(tmp_path / "repos" / "b" / "sub" / "deeper" / "Dockerfile", UNTIDY)
    expected = {
        "a/app/Dockerfile",
        "b/build/Dockerfile",
        "b/x.tmp.Dockerfile",
        "b/sub/deeper/Dockerfile",
    }

    def found(*args: str, cwd: Path) -> set[str]:
        out = run("--diff", *args, cwd=cwd).stdout.decode()
        return {line[len("+++ b/") :] for line in out.splitlines() if line.startswith("+++ b/")}

    assert found("repos", cwd=tmp_path) == {f"repos/{name}" for name in expected}
    assert found(".", cwd=tmp_path / "repos") == expected
    assert found(".", cwd=tmp_path / "repos" / "a") == {"app/Dockerfile"}
    assert found(str(tmp_path / "repos"), cwd=tmp_path) == {f"repos/{name}" for name in expected}


def test_select_ignore_and_unknown_fix(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", UNTIDY)
    only = run("--select", "DF001", "Dockerfile", cwd=tmp_path)
    assert {line.split()[1] for line in only.stdout.decode().splitlines()} == {"DF001"}
    ignored = run("--ignore", "merge-env,apt-hygiene", "Dockerfile", cwd=tmp_path)
    assert b"DF001" not in ignored.stdout and b"DF007" not in ignored.stdout
    unknown = run("--select", "no-such-fix", "Dockerfile", cwd=tmp_path)
    assert unknown.returncode == 2
    assert b"unknown fix" in unknown.stderr


def test_config_closest_to_the_file_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.dockfix]\nignore = ["merge-env"]\n')
    write(tmp_path / "svc" / "dockfix.toml", 'select = ["merge-env"]\n')
    write(tmp_path / "Dockerfile", UNTIDY)
    write(tmp_path / "svc" / "Dockerfile", UNTIDY)
    top = run("Dockerfile", cwd=tmp_path).stdout.decode()
    svc = run("svc/Dockerfile", cwd=tmp_path).stdout.decode()
    assert "DF001" not in top and "DF007" in top
    assert "DF001" in svc and "DF007" not in svc


def test_another_tools_pyproject_is_not_parsed(tmp_path: Path) -> None:
    # A project template's pyproject.toml is not TOML until it is rendered.
    write(tmp_path / "pyproject.toml", '[project]\nname = "{{ cookiecutter.slug }}"\n{% if x %}\n')
    write(tmp_path / "Dockerfile", UNTIDY)
    skipped = run("--check", "Dockerfile", cwd=tmp_path)
    assert skipped.returncode == 1, skipped.stderr
    assert b"invalid TOML" not in skipped.stderr
    # One that has a dockfix table, and is broken, is an error for its files.
    write(tmp_path / "pyproject.toml", '[tool.dockfix]\nignore = ["merge-env"\n')
    broken = run("--check", "Dockerfile", cwd=tmp_path)
    assert broken.returncode == 2
    assert b"pyproject.toml: invalid TOML" in broken.stderr
    assert b"Traceback" not in broken.stderr


PIPED = "FROM registry.example.com/base/python:3.12\nRUN curl -fsSL https://example.com/x | sh\n"


def test_declared_image_shells_let_pipefail_fix_an_unknown_image(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", PIPED)
    undeclared = run("--diff", "--unsafe-fixes", "Dockerfile", cwd=tmp_path)
    assert b"pipefail" not in undeclared.stdout
    write(
        tmp_path / "dockfix.toml",
        '[image-shells]\n"registry.example.com/base/*" = "debian"\n',
    )
    declared = run("--diff", "--unsafe-fixes", "Dockerfile", cwd=tmp_path)
    assert declared.returncode == 1
    assert b'+SHELL ["/bin/bash", "-o", "pipefail", "-c"]' in declared.stdout
    # The editor path reads the same configuration.
    fixed = run(
        "-", "--stdin-filename", "Dockerfile", "--unsafe-fixes", cwd=tmp_path, stdin=PIPED.encode()
    )
    assert b'SHELL ["/bin/bash", "-o", "pipefail", "-c"]' in fixed.stdout


def test_an_undeclarable_shell_is_a_configuration_error(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", PIPED)
    write(tmp_path / "dockfix.toml", '[image-shells]\n"registry.example.com/*" = "zsh"\n')
    result = run("--check", "Dockerfile", cwd=tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "image-shells.registry.example.com/*" in err and '"debian"' in err
    assert "Traceback" not in err


def test_list_fixes_and_explain(tmp_path: Path) -> None:
    table = run("--list-fixes", cwd=tmp_path).stdout.decode()
    assert table.splitlines()[0].split() == [
        "CODE",
        "NAME",
        "SAFETY",
        "HADOLINT",
        "BUILDKIT",
        "SUMMARY",
    ]
    assert "merge-env" in table and "apt-hygiene" in table and "DL3009" in table
    by_code = run("--explain", "DF001", cwd=tmp_path).stdout.decode()
    by_name = run("--explain", "merge-env", cwd=tmp_path).stdout.decode()
    assert by_code == by_name
    assert "## Why is this bad?" in by_code and "## Fix safety" in by_code
    assert run("--explain", "nope", cwd=tmp_path).returncode == 2


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    for args in (["--diff", "--write", "."], ["--bogus"], [], ["--jobs", "many", "."]):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2, args
        assert done.stderr.count(b"\n") == 1, done.stderr
        assert done.stderr.startswith(b"dockfix: ")


def test_bulk_write_in_parallel(tmp_path: Path) -> None:
    for n in range(40):
        write(tmp_path / f"svc{n:02d}" / "Dockerfile", UNTIDY)
    done = run("--write", "--jobs", "2", "--no-progress", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"40 files fixed" in done.stderr
    assert all((tmp_path / f"svc{n:02d}" / "Dockerfile").read_text() == TIDY for n in range(40))


def test_diff_shows_a_new_dockerignore_that_git_apply_creates(tmp_path: Path) -> None:
    write(tmp_path / "app" / "Dockerfile", "FROM alpine\nCOPY . /srv/\n")
    write(tmp_path / "app" / "index.html", "<p>hi</p>\n")  # not Dockerfiles only
    diff = run("--diff", "--unsafe-fixes", "--select", "dockerignore", "app", cwd=tmp_path)
    assert diff.returncode == 1
    assert b"+++ b/app/.dockerignore\n" in diff.stdout
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply", "-"], cwd=tmp_path, input=diff.stdout, check=True)
    created = (tmp_path / "app" / ".dockerignore").read_text()
    assert created.splitlines()[0] == ".git"
    (tmp_path / "app" / ".dockerignore").unlink()
    written = run("--write", "--unsafe-fixes", "--select", "dockerignore", "app", cwd=tmp_path)
    assert written.returncode == 0
    assert (tmp_path / "app" / ".dockerignore").read_text() == created


def test_a_dockerfile_template_gets_no_dockerignore(tmp_path: Path) -> None:
    # A generator writes the Dockerfile built from `Dockerfile.j2` elsewhere:
    # reported, no file created beside the template.
    for name in ("Dockerfile.j2", "Dockerfile.in", "app.Dockerfile.template"):
        folder = tmp_path / name.replace(".", "_")
        write(folder / name, "FROM alpine\nCOPY . /srv/\n")
        write(folder / "index.html", "<p>hi</p>\n")
        flags = ("--unsafe-fixes", "--select", "dockerignore", "--no-cache")
        done = run("--write", *flags, name, cwd=folder)
        assert done.returncode == 1, done.stderr
        assert not (folder / ".dockerignore").exists()
        report = run(*flags, name, cwd=folder)
        assert f"`{name}` is a template".encode() in report.stdout, report.stdout


def test_two_dockerfiles_creating_one_dockerignore_count_once(tmp_path: Path) -> None:
    # Both copy the same context whole: one new file, one file counted, in
    # every mode (the second Dockerfile changes nothing of its own).
    for name in ("Dockerfile", "Dockerfile.dev"):
        write(tmp_path / "app" / name, "FROM alpine\nCOPY . /srv/\n")
    write(tmp_path / "app" / "index.html", "<p>hi</p>\n")  # not Dockerfiles only
    flags = ("--unsafe-fixes", "--select", "dockerignore", "--no-cache", "app")
    diff = run("--diff", *flags, cwd=tmp_path)
    assert diff.stdout.count(b"+++ b/app/.dockerignore\n") == 1
    assert b"1 file would be fixed, 1 file left unchanged" in diff.stderr
    check = run("--check", *flags, cwd=tmp_path)
    assert check.stdout.startswith(b"1 file would be fixed"), check.stdout
    written = run("--write", "--jobs", "2", *flags, cwd=tmp_path)
    assert b"1 file fixed" in written.stderr, written.stderr
    assert (tmp_path / "app" / ".dockerignore").exists()


def test_stdin_never_creates_files(tmp_path: Path) -> None:
    done = run(
        "-",
        "--stdin-filename",
        "Dockerfile",
        "--unsafe-fixes",
        "--select",
        "dockerignore",
        cwd=tmp_path,
        stdin=b"FROM alpine\nCOPY . /srv/\n",
    )
    assert done.returncode == 0
    assert done.stdout == b"FROM alpine\nCOPY . /srv/\n"
    assert not (tmp_path / ".dockerignore").exists()


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "Dockerfile", UNTIDY)
    link = tmp_path / "Dockerfile"
    link.symlink_to(target)
    done = run("--write", "Dockerfile", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert target.read_text() == TIDY


def test_bytes_that_are_not_utf8_survive_a_write(tmp_path: Path) -> None:
    raw = b'FROM alpine\n# caf\xe9 (latin-1)\nENV A=1\nENV B=2\nUSER nobody\nCMD ["sh"]\n'
    path = tmp_path / "Dockerfile"
    path.write_bytes(raw)
    done = run("--write", "Dockerfile", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == raw.replace(b"ENV A=1\nENV B=2", b"ENV A=1 \\\n    B=2")


def test_pre_commit_hook_patterns_match_the_discovered_names() -> None:
    import re

    text = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    pattern = re.compile(re.search(r"files: (.*)", text).group(1))  # type: ignore[union-attr]
    for name in (
        "Dockerfile",
        "a/Dockerfile.dev",
        "Containerfile",
        "x/api.Dockerfile",
        "web.dockerfile",
    ):
        assert pattern.search(name), name
    for name in ("Dockerfile/README.md", "docker-compose.yml", "Dockerfiles.txt"):
        assert not pattern.search(name), name


def test_build_context_option_and_dockerfile_specific_ignore_file(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "flask\n")
    dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
    write(tmp_path / "docker" / "Dockerfile", dockerfile)
    write(tmp_path / "docker" / "Dockerfile.dockerignore", ".git\n")  # not a Dockerfile
    args = ("--diff", "--unsafe-fixes", "--select", "dependency-cache,dockerignore")
    # Without the option the context is docker/, which has no requirements.txt.
    alone = run(*args, "docker", cwd=tmp_path)
    assert alone.returncode == 0 and alone.stdout == b""
    with_context = run(*args, "--build-context", ".", "docker/Dockerfile", cwd=tmp_path)
    assert with_context.returncode == 1
    assert b"+COPY requirements.txt ./\n" in with_context.stdout
    assert b".dockerignore" not in with_context.stdout  # the Dockerfile has its own


def test_output_formats_json_and_github(tmp_path: Path) -> None:
    import json

    write(tmp_path / "Dockerfile", UNTIDY)
    rows = json.loads(run("--output-format", "json", "Dockerfile", cwd=tmp_path).stdout)
    assert {r["code"] for r in rows} == {"DF001", "DF002", "DF007"}
    first = rows[0]
    assert set(first) == {"file", "line", "column", "code", "name", "message", "fix"}
    assert first["file"] == "Dockerfile" and first["fix"] == "safe"
    github = run("--output-format", "github", "Dockerfile", cwd=tmp_path).stdout.decode()
    assert github.splitlines()[0].startswith("::warning file=Dockerfile,line=2,col=1,title=DF001")
    assert run("--output-format", "xml", "Dockerfile", cwd=tmp_path).returncode == 2


def test_sarif_output_is_what_code_scanning_accepts(tmp_path: Path) -> None:
    import json

    write(tmp_path / "Dockerfile", UNTIDY)
    done = run("--output-format", "sarif", "Dockerfile", cwd=tmp_path)
    assert done.returncode == 1
    log = json.loads(done.stdout)
    assert log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    rule_ids = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) == 3
    for result in sarif_run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"


def test_two_dockerfiles_of_one_context_create_one_dockerignore(tmp_path: Path) -> None:
    write(tmp_path / "app" / "Dockerfile", "FROM alpine\nCOPY . /srv/\n")
    write(tmp_path / "app" / "Dockerfile.dev", "FROM alpine\nCOPY . /dev/\n")
    write(tmp_path / "app" / "index.html", "<p>hi</p>\n")  # not Dockerfiles only
    args = ("--unsafe-fixes", "--select", "dockerignore", "app")
    diff = run("--diff", *args, cwd=tmp_path)
    assert diff.stdout.count(b"+++ b/app/.dockerignore") == 1
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply", "-"], cwd=tmp_path, input=diff.stdout, check=True)
    assert (tmp_path / "app" / ".dockerignore").exists()


def test_rules_ignored_in_hadolint_config_are_not_fixed(tmp_path: Path) -> None:
    write(
        tmp_path / ".hadolint.yaml", "failure-threshold: info\nignored:\n  - DL3009\n  - DL3008\n"
    )
    write(tmp_path / "svc" / "Dockerfile", UNTIDY)
    done = run("--diff", "svc", cwd=tmp_path)
    assert b"rm -rf /var/lib/apt/lists" not in done.stdout  # apt-hygiene relates to DL3009
    assert b"PYTHONUNBUFFERED=1 \\" in done.stdout  # other fixes still run


def test_per_file_ignores(tmp_path: Path) -> None:
    write(tmp_path / "dockfix.toml", '[per-file-ignores]\n"legacy/**" = ["merge-env"]\n')
    write(tmp_path / "legacy" / "old" / "Dockerfile", UNTIDY)
    write(tmp_path / "new" / "Dockerfile", UNTIDY)
    legacy = run("legacy", cwd=tmp_path).stdout.decode()
    new = run("new", cwd=tmp_path).stdout.decode()
    assert "DF001" not in legacy and "DF002" in legacy
    assert "DF001" in new


# --- the build context, when --build-context is not given ---------------------------

NODE_IN_SUBFOLDER = (
    "FROM node:20-alpine\n"
    "WORKDIR /app\n"
    "COPY docker/entrypoint.sh /entrypoint.sh\n"
    "COPY . .\n"
    "RUN npm install\n"
    'ENTRYPOINT ["/entrypoint.sh"]\n'
)


def _node_repo(root: Path, dockerignore: bool) -> Path:
    """`docker build -f docker/Dockerfile .` from `root`, a repository."""
    (root / ".git").mkdir(parents=True)
    write(root / "docker" / "Dockerfile", NODE_IN_SUBFOLDER)
    write(root / "docker" / "entrypoint.sh", "#!/bin/sh\nexec node index.js\n")
    write(root / "package.json", '{"name": "relay", "version": "1.0.0"}\n')
    write(root / "package-lock.json", '{"name": "relay", "lockfileVersion": 3}\n')
    if dockerignore:
        write(root / ".dockerignore", "node_modules\n")
    return root


def test_a_dockerfile_in_a_subfolder_reads_the_parent_context(tmp_path: Path) -> None:
    root = _node_repo(tmp_path / "repo", dockerignore=True)
    args = ("--diff", "--unsafe-fixes", "--no-cache", "--select", "dockerignore,dependency-cache")
    done = run(*args, "docker/Dockerfile", cwd=root)
    assert done.returncode == 1, done.stderr
    assert b"+COPY package.json package-lock.json ./\n" in done.stdout
    assert b".dockerignore" not in done.stdout  # the parent has one
    # Named from elsewhere, the same file gets the same context.
    elsewhere = run(*args, str(root / "docker" / "Dockerfile"), cwd=tmp_path)
    assert elsewhere.stdout.split(b"\n", 2)[2] == done.stdout.split(b"\n", 2)[2]


def test_the_dockerignore_goes_where_buildkit_reads_it(tmp_path: Path) -> None:
    root = _node_repo(tmp_path / "repo", dockerignore=False)
    done = run(
        "--write", "--unsafe-fixes", "--no-cache", "--select", "dockerignore", "docker", cwd=root
    )
    assert done.returncode == 0, done.stderr
    assert "node_modules" in (root / ".dockerignore").read_text()
    assert not (root / "docker" / ".dockerignore").exists()


def test_an_unknown_context_is_refused_with_a_reason(tmp_path: Path) -> None:
    root = _node_repo(tmp_path / "repo", dockerignore=False)
    (root / "docker" / "entrypoint.sh").unlink()  # made by a build step, say
    select = ("--no-cache", "--select", "dockerignore,dependency-cache,lock-install")
    report = run(*select, "docker/Dockerfile", cwd=root)
    assert report.returncode == 1
    lines = report.stdout.decode().splitlines()
    unknown = [line for line in lines if "the build context is unknown" in line]
    assert {line.split()[1] for line in unknown} == {"DF012", "DF011", "DF060"}
    assert all("pass --build-context" in line for line in unknown)
    assert not any("not in the build context" in line for line in lines)
    written = run("--write", "--unsafe-fixes", *select, "docker/Dockerfile", cwd=root)
    assert written.returncode == 1
    assert (
        not (root / ".dockerignore").exists() and not (root / "docker" / ".dockerignore").exists()
    )
    assert (root / "docker" / "Dockerfile").read_text() == NODE_IN_SUBFOLDER
    # --build-context decides: the parent, as given.
    given = run(
        "--diff", "--unsafe-fixes", *select, "--build-context", ".", "docker/Dockerfile", cwd=root
    )
    assert b"+RUN npm ci\n" in given.stdout and b"+++ b/.dockerignore" in given.stdout


def test_stdin_and_files_locate_the_same_context(tmp_path: Path) -> None:
    root = _node_repo(tmp_path / "repo", dockerignore=True)
    args = ("--unsafe-fixes", "--select", "dependency-cache,lock-install")
    piped = run(
        "-",
        "--stdin-filename",
        "docker/Dockerfile",
        *args,
        cwd=root,
        stdin=NODE_IN_SUBFOLDER.encode(),
    )
    assert piped.returncode == 0, piped.stderr
    assert b"COPY package.json package-lock.json ./\nRUN npm ci\n" in piped.stdout
    run("--write", "--no-cache", *args, "docker/Dockerfile", cwd=root)
    assert (root / "docker" / "Dockerfile").read_bytes() == piped.stdout


def test_the_cache_notices_that_the_located_context_changed(tmp_path: Path) -> None:
    root = _node_repo(tmp_path / "repo", dockerignore=False)
    args = ("--cache-dir", str(tmp_path / "cache"), "--select", "dockerignore", "docker/Dockerfile")
    first = run(*args, cwd=root)
    assert b"which has no .dockerignore (../, which holds" in first.stdout
    assert run(*args, cwd=root).stdout == first.stdout  # from the cache
    (root / "docker" / "entrypoint.sh").unlink()
    assert b"the build context is unknown" in run(*args, cwd=root).stdout
    write(root / "docker" / "entrypoint.sh", "#!/bin/sh\n")
    write(root / ".dockerignore", ".git\n")
    assert run(*args, cwd=root).returncode == 0
