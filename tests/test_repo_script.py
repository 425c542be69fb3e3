"""scripts/dockfix-repo.sh end to end: throw-away git repositories on disk, the
script run by /bin/sh in each (as multi-gitter, git-xargs and Sourcegraph run
it), real git and real dockfix, no mocks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "dockfix-repo.sh"
SH = shutil.which("sh") or "/bin/sh"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")

FIXABLE = "FROM alpine:3.20\nENV A=1\nENV B=2\nCMD echo hi\n"
FIXED = 'FROM alpine:3.20\nENV A=1 \\\n    B=2\nCMD ["echo", "hi"]\n'
CLEAN = 'FROM alpine:3.20\nCMD ["echo", "hi"]\n'
BROKEN = "FROM alpine:3.20\nENV NOVALUE\n"
# A finding without a safe fix (non-root-user is unsafe), nothing to change.
UNFIXED = (  # runs as root: non-root-user's fix is unsafe, so only reported here
    "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\n"
    'CMD ["python", "-m", "http.server"]\n'
)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_AUTHOR_NAME="Fleet Test",
        GIT_AUTHOR_EMAIL="fleet@example.invalid",
        GIT_COMMITTER_NAME="Fleet Test",
        GIT_COMMITTER_EMAIL="fleet@example.invalid",
    )
    env.pop("DOCKFIX", None)
    return env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return _env(home)


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def make_repo(parent: Path, name: str, env: dict[str, str], files: dict[str, str]) -> Path:
    repo = parent / name
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    (repo / "README.md").write_text(f"# {name}\n")
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    git(repo, env, "add", "--all")
    git(repo, env, "commit", "-q", "-m", "initial")
    return repo


def script(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SH, str(SCRIPT), *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )


def commits(repo: Path, env: dict[str, str], ref: str = "HEAD") -> int:
    return int(git(repo, env, "rev-list", "--count", ref))


def branches(repo: Path, env: dict[str, str]) -> set[str]:
    return set(git(repo, env, "branch", "--format=%(refname:short)").split())


def test_the_script_is_posix_sh_and_executable() -> None:
    assert SCRIPT.read_text().startswith("#!/bin/sh\n")
    assert os.access(SCRIPT, os.X_OK)
    subprocess.run([SH, "-n", str(SCRIPT)], check=True)
    dash = shutil.which("dash")
    if dash:
        subprocess.run([dash, "-n", str(SCRIPT)], check=True)


def test_a_fleet_of_repositories_fixed_on_a_branch(tmp_path: Path, env: dict[str, str]) -> None:
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    fixable = make_repo(
        fleet, "fixable", env, {"Dockerfile": FIXABLE, "svc/Dockerfile.dev": FIXABLE}
    )
    clean = make_repo(fleet, "clean", env, {"Dockerfile": CLEAN})
    empty = make_repo(fleet, "no-dockerfile", env, {})
    unfixed = make_repo(fleet, "unfixed", env, {"Dockerfile": UNFIXED})
    crlf = make_repo(fleet, "crlf", env, {"Dockerfile": FIXABLE.replace("\n", "\r\n")})

    # All at once, as `multi-gitter run --concurrent 5` would run them.
    runs = {
        repo: subprocess.Popen(
            [SH, str(SCRIPT), "--branch", "dockfix/fix"],
            cwd=repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for repo in (fixable, clean, empty, unfixed, crlf)
    }
    for repo, run in runs.items():
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, (repo.name, stderr)
        assert "Traceback" not in stderr

    # Changed: one commit on a new branch, main untouched, nothing left over.
    for repo in (fixable, crlf):
        assert git(repo, env, "rev-parse", "--abbrev-ref", "HEAD") == "dockfix/fix"
        assert commits(repo, env, "main") == 1
        assert commits(repo, env, "dockfix/fix") == 2
        assert git(repo, env, "status", "--porcelain") == ""
        message = git(repo, env, "log", "-1", "--format=%B")
        assert message.startswith("Fix Dockerfiles with dockfix\n\n")
        assert "dockfix --write ." in message and "dockfix 0." in message
        original = subprocess.run(
            ["git", "show", "main:Dockerfile"], cwd=repo, env=env, capture_output=True, check=True
        ).stdout
        assert original == FIXABLE.replace("\n", "\r\n" if repo is crlf else "\n").encode()
    assert (fixable / "Dockerfile").read_bytes() == FIXED.encode()
    assert (fixable / "svc" / "Dockerfile.dev").read_bytes() == FIXED.encode()
    assert (crlf / "Dockerfile").read_bytes() == FIXED.replace("\n", "\r\n").encode()
    changed = git(fixable, env, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert sorted(changed) == ["Dockerfile", "svc/Dockerfile.dev"]

    # Nothing to change: no branch, no commit, still on main.
    for repo in (clean, empty, unfixed):
        assert branches(repo, env) == {"main"}, repo.name
        assert commits(repo, env) == 1
        assert git(repo, env, "status", "--porcelain") == ""
    assert "nothing to change" in script(clean, env).stderr
    # The finding without a safe fix is printed, and the exit status is still 0.
    done = script(unfixed, env, "--branch", "dockfix/again")
    assert done.returncode == 0 and "DF009" in done.stdout
    assert branches(unfixed, env) == {"main"}

    # A second run over the fixed branch changes nothing.
    again = script(fixable, env, "--commit")
    assert again.returncode == 0, again.stderr
    assert commits(fixable, env) == 2


def test_engine_mode_leaves_the_changes_for_the_engine_to_commit(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # multi-gitter (default mode), git-xargs and Sourcegraph commit themselves
    # when the script exits 0 and the working tree changed.
    fixable = make_repo(tmp_path, "fixable", env, {"Dockerfile": FIXABLE})
    clean = make_repo(tmp_path, "clean", env, {"Dockerfile": CLEAN})
    done = script(fixable, env)
    assert done.returncode == 0, done.stderr
    assert git(fixable, env, "status", "--porcelain") == "M Dockerfile"
    assert commits(fixable, env) == 1 and branches(fixable, env) == {"main"}
    done = script(clean, env)
    assert done.returncode == 0 and git(clean, env, "status", "--porcelain") == ""


def test_commit_on_the_current_branch_with_a_message_and_dockfix_options(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # multi-gitter --manual-commit: it made the branch, the script commits.
    repo = make_repo(tmp_path, "repo", env, {"Dockerfile": FIXABLE, "other/Dockerfile": FIXABLE})
    git(repo, env, "checkout", "-q", "-b", "multi-gitter-branch")
    env = {**env, "DOCKFIX": f"{sys.executable} -m dockfix"}
    done = script(
        repo, env, "--commit", "--message", "chore: merge ENV", "--", "--select", "merge-env", "."
    )
    assert done.returncode == 0, done.stderr
    assert git(repo, env, "log", "-1", "--format=%s") == "chore: merge ENV"
    assert "dockfix --write --select merge-env ." in git(repo, env, "log", "-1", "--format=%b")
    assert commits(repo, env) == 2
    text = (repo / "Dockerfile").read_text()
    assert "ENV A=1 \\\n    B=2\n" in text and "CMD echo hi" in text  # json-args not selected


def test_a_file_dockfix_cannot_process_stops_the_commit_unless_keep_going(
    tmp_path: Path, env: dict[str, str]
) -> None:
    files = {"Dockerfile": FIXABLE, "broken/Dockerfile": BROKEN}
    strict = make_repo(tmp_path, "strict", env, files)
    done = script(strict, env, "--branch", "dockfix/fix")
    assert done.returncode == 2
    assert "broken/Dockerfile" in done.stdout + done.stderr
    assert "nothing committed" in done.stderr
    assert branches(strict, env) == {"main"} and commits(strict, env) == 1

    lenient = make_repo(tmp_path, "lenient", env, files)
    done = script(lenient, env, "--branch", "dockfix/fix", "--keep-going")
    assert done.returncode == 0, done.stderr
    assert "broken/Dockerfile" in done.stdout + done.stderr
    assert commits(lenient, env, "dockfix/fix") == 2
    changed = git(lenient, env, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert changed == ["Dockerfile"]
    assert (lenient / "broken" / "Dockerfile").read_text() == BROKEN


def test_refusals_exit_2_and_touch_nothing(tmp_path: Path, env: dict[str, str]) -> None:
    # Uncommitted changes: committing would mix them with dockfix's.
    dirty = make_repo(tmp_path, "dirty", env, {"Dockerfile": FIXABLE})
    (dirty / "README.md").write_text("edited\n")
    done = script(dirty, env, "--branch", "dockfix/fix")
    assert done.returncode == 2 and "uncommitted changes" in done.stderr
    assert (dirty / "Dockerfile").read_text() == FIXABLE

    # The branch exists already.
    taken = make_repo(tmp_path, "taken", env, {"Dockerfile": FIXABLE})
    git(taken, env, "branch", "dockfix/fix")
    done = script(taken, env, "--branch", "dockfix/fix")
    assert done.returncode == 2 and "already exists" in done.stderr
    assert (taken / "Dockerfile").read_text() == FIXABLE

    # Not a git repository: nothing to commit on.
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "Dockerfile").write_text(FIXABLE)
    done = script(plain, env, "--commit")
    assert done.returncode == 2 and "not a git working tree" in done.stderr
    assert (plain / "Dockerfile").read_text() == FIXABLE

    # dockfix cannot be run.
    repo = make_repo(tmp_path, "repo", env, {"Dockerfile": FIXABLE})
    done = script(repo, {**env, "DOCKFIX": str(tmp_path / "no-such-dockfix")})
    assert done.returncode == 2 and "install dockfix or set DOCKFIX" in done.stderr

    # Usage errors: the script's own and dockfix's.
    assert script(repo, env, "--branch").returncode == 2
    assert script(repo, env, "--branch", "bad..name").returncode == 2
    done = script(repo, env, "--", "--no-such-option", ".")
    assert done.returncode == 2 and "no-such-option" in done.stderr
    assert (repo / "Dockerfile").read_text() == FIXABLE
    assert branches(repo, env) == {"main"} and git(repo, env, "status", "--porcelain") == ""


def test_engine_mode_needs_no_git(tmp_path: Path, env: dict[str, str]) -> None:
    # A Sourcegraph step container may have no git: fix, exit 0.
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "Dockerfile").write_text(FIXABLE)
    done = script(plain, {**env, "GIT_DIR": str(tmp_path / "no-such-git-dir")})
    assert done.returncode == 0, done.stderr
    assert (plain / "Dockerfile").read_text() == FIXED


def test_installed_with_dockfix_and_found_by_name(tmp_path: Path, env: dict[str, str]) -> None:
    # The wheel installs the script as `dockfix-repo` beside `dockfix`, so
    # engines that look the command up on PATH (multi-gitter, git-xargs) find it.
    installed = shutil.which("dockfix-repo", path=env["PATH"])
    assert installed is not None
    assert Path(installed).read_bytes() == SCRIPT.read_bytes()
    repo = make_repo(tmp_path, "repo", env, {"Dockerfile": FIXABLE})
    done = subprocess.run(
        ["dockfix-repo", "--branch", "dockfix"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert git(repo, env, "rev-parse", "--abbrev-ref", "HEAD") == "dockfix"
    assert (repo / "Dockerfile").read_text() == FIXED


def test_help_prints_the_usage(tmp_path: Path, env: dict[str, str]) -> None:
    done = script(tmp_path, env, "--help")
    assert done.returncode == 0
    assert done.stdout.startswith("dockfix-repo: run `dockfix --write`")
    assert "Exit codes" in done.stdout and "set -u" not in done.stdout
