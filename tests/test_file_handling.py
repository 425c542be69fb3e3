"""What the file system may hold, built for real, with the installed `dockfix`
in a subprocess: symbolic link loops and links out of the tree, FIFOs and
sockets, unreadable files and folders and read-only folders (as a non-root
user), invalid UTF-8 and binary files, a 50 MB file, 10,000 files in one
folder, a file changed by someone else between read and write, a failed write,
SIGINT and SIGTERM mid-run. Each case: a clear `path: message`, exit 2 where
something could not be done, the other files still processed, no traceback."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCKFIX = str(Path(sys.executable).parent / "dockfix")

FIXABLE = 'FROM alpine:3.20\nENV A=1\nENV B=2\nUSER nobody\nCMD ["sh"]\n'
FIXED = 'FROM alpine:3.20\nENV A=1 \\\n    B=2\nUSER nobody\nCMD ["sh"]\n'
# Only merge-env, so that every case reads the same whatever other fixes do.
ONLY = ("--select", "merge-env", "--no-cache", "--no-progress")

Run = Callable[..., subprocess.CompletedProcess[str]]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("DOCKFIX")}


def dockfix(
    *args: str, cwd: Path, timeout: float = 120, strict_io: bool = False
) -> subprocess.CompletedProcess[str]:
    env = _env()
    if strict_io:  # as in a UTF-8 locale: printing a lone surrogate would fail
        env["PYTHONIOENCODING"] = "utf-8:strict"
    return subprocess.run(
        [DOCKFIX, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        errors="surrogateescape",
    )


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr, done.stderr


def leftovers(root: Path) -> list[Path]:
    """Temporary files of an atomic write that were not cleaned up."""
    return [p for p in root.rglob("*.dockfix") if p.name.startswith(".")]


# --- symbolic links ---------------------------------------------------------------


def test_symlink_loops_and_links_out_of_the_tree(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    outside = tmp_path / "outside"
    write(tree / "Dockerfile", FIXABLE)
    write(tree / "svc" / "Dockerfile", FIXABLE)
    write(outside / "Dockerfile", FIXABLE)
    (tree / "svc" / "up").symlink_to("..")  # a loop back to the top
    (tree / "svc" / "again").symlink_to("../svc")  # a second way to a folder
    (tree / "Dockerfile.same").symlink_to("Dockerfile")  # a second way to a file
    (tree / "Dockerfile.loop").symlink_to("Dockerfile.loop")  # a link to itself
    (tree / "Dockerfile.a").symlink_to("Dockerfile.b")
    (tree / "Dockerfile.b").symlink_to("Dockerfile.a")
    (tree / "Dockerfile.gone").symlink_to("nowhere")
    (tree / "Dockerfile.out").symlink_to(outside / "Dockerfile")
    (tree / "elsewhere").symlink_to(outside)
    (tree / "linked").symlink_to(tree / "svc")

    done = dockfix("--write", *ONLY, "tree", cwd=tmp_path, timeout=60)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    # Each real file once, by its real path; nothing outside the tree.
    assert "2 files fixed (2 fixes applied), 0 files left unchanged" in done.stderr
    assert (tree / "Dockerfile").read_text() == FIXED
    assert (tree / "svc" / "Dockerfile").read_text() == FIXED
    assert (outside / "Dockerfile").read_text() == FIXABLE
    for message in (
        "tree/Dockerfile.loop: symbolic link loop; skipped",
        "tree/Dockerfile.a: symbolic link loop; skipped",
        "tree/Dockerfile.b: symbolic link loop; skipped",
        "tree/Dockerfile.gone: broken symbolic link; skipped",
        f"tree/Dockerfile.out: symbolic link to {outside / 'Dockerfile'}, outside the paths "
        "given; skipped",
        f"tree/elsewhere: symbolic link to {outside}, outside the paths given; skipped",
    ):
        assert message in done.stderr.splitlines(), (message, done.stderr)
    assert (tree / "Dockerfile.same").is_symlink() and (tree / "linked").is_symlink()

    # Outside, when named: once, by its own path, through the link's target.
    for path in (outside / "Dockerfile", tree / "Dockerfile", tree / "svc" / "Dockerfile"):
        write(path, FIXABLE)
    done = dockfix("--diff", *ONLY, "tree", "outside", cwd=tmp_path, timeout=60)
    no_traceback(done)
    assert done.stdout.count("+++ b/") == 3  # tree/Dockerfile, tree/svc, outside
    assert "+++ b/outside/Dockerfile" in done.stdout
    assert "outside the paths given" not in done.stderr

    # A link named on the command line is followed, wherever it leads.
    done = dockfix("--write", *ONLY, "tree/Dockerfile.out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (outside / "Dockerfile").read_text() == FIXED
    assert (tree / "Dockerfile.out").is_symlink()


def test_diff_of_a_file_reached_through_links_names_its_target(tmp_path: Path) -> None:
    """`Dockerfile -> Dockerfile-debian` (only the link has a Dockerfile's name)
    and a Dockerfile in a folder reached through a link: --write replaces the
    targets and keeps the links, and the --diff patch names the targets, so
    that `git apply` (which will not patch through a link) gives the same."""
    repo = tmp_path / "repo"
    write(repo / "docker" / "Dockerfile-debian", FIXABLE)
    (repo / "docker" / "Dockerfile").symlink_to("Dockerfile-debian")
    write(repo / "real" / "svc" / "Dockerfile", FIXABLE)
    (repo / "svc").symlink_to("real/svc")
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy, symlinks=True)

    diff = dockfix("--diff", *ONLY, "docker/Dockerfile", "svc/Dockerfile", cwd=repo)
    no_traceback(diff)
    assert diff.returncode == 1, diff.stderr
    assert "+++ b/docker/Dockerfile-debian\n" in diff.stdout
    assert "+++ b/real/svc/Dockerfile\n" in diff.stdout
    done = dockfix("--write", *ONLY, "docker/Dockerfile", "svc/Dockerfile", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert (repo / "docker" / "Dockerfile").is_symlink() and (repo / "svc").is_symlink()

    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    subprocess.run(["git", "apply", "-"], cwd=copy, input=diff.stdout, text=True, check=True)
    for name in ("docker/Dockerfile-debian", "real/svc/Dockerfile"):
        assert (copy / name).read_text() == (repo / name).read_text() == FIXED, name
    assert (copy / "docker" / "Dockerfile").is_symlink()


def test_a_named_symlink_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").symlink_to("Dockerfile")
    write(tmp_path / "ok" / "Dockerfile", FIXABLE)
    done = dockfix("--write", *ONLY, "Dockerfile", "ok", cwd=tmp_path)
    no_traceback(done)
    assert done.returncode == 2
    assert "Dockerfile: too many levels of symbolic links" in done.stderr.splitlines()
    assert (tmp_path / "ok" / "Dockerfile").read_text() == FIXED


# --- FIFOs, sockets, binary and huge files ------------------------------------------


def test_fifos_and_sockets_are_skipped_never_waited_on(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", FIXABLE)
    os.mkfifo(tmp_path / "Dockerfile.fifo")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "Dockerfile.sock"))
        os.mkfifo(tmp_path / "requirements.txt")
        done = dockfix("--write", *ONLY, ".", cwd=tmp_path, timeout=60)
        no_traceback(done)
        assert done.returncode == 0, done.stderr
        lines = done.stderr.splitlines()
        assert "Dockerfile.fifo: not a regular file (a FIFO); skipped" in lines
        assert "Dockerfile.sock: not a regular file (a socket); skipped" in lines
        assert (tmp_path / "Dockerfile").read_text() == FIXED

        # Named on the command line: it could not be done, so exit 2.
        write(tmp_path / "Dockerfile", FIXABLE)
        done = dockfix("--write", *ONLY, "Dockerfile.fifo", "Dockerfile", cwd=tmp_path)
        no_traceback(done)
        assert done.returncode == 2
        assert "Dockerfile.fifo: not a regular file (a FIFO); skipped" in done.stderr
        assert (tmp_path / "Dockerfile").read_text() == FIXED

        # The fixes that read the build context do not wait on FIFOs either.
        os.mkfifo(tmp_path / ".dockerignore")
        write(
            tmp_path / "Dockerfile",
            "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n",
        )
        done = dockfix("--no-cache", "--unsafe-fixes", "--diff", "Dockerfile", cwd=tmp_path)
        no_traceback(done)
        assert done.returncode == 1, done.stderr
    finally:
        server.close()


def test_invalid_utf8_is_kept_byte_for_byte(tmp_path: Path) -> None:
    latin1 = b"FROM alpine:3.20\n# caf\xe9\nENV A=caf\xe9\nENV B=\xff\xfe\nUSER nobody\n"
    write(tmp_path / "Dockerfile", latin1)
    done = dockfix("--write", *ONLY, ".", cwd=tmp_path)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "Dockerfile").read_bytes() == (
        b"FROM alpine:3.20\n# caf\xe9\nENV A=caf\xe9 \\\n    B=\xff\xfe\nUSER nobody\n"
    )
    # In a command that would become JSON (BuildKit would read such bytes as
    # U+FFFD there), it is reported, not rewritten; the rest is still fixed.
    write(tmp_path / "Dockerfile", latin1 + b"CMD echo caf\xe9\n")
    done = dockfix("--write", "--no-cache", "--select", "merge-env,json-args", ".", cwd=tmp_path)
    no_traceback(done)
    assert done.returncode == 1, done.stderr
    assert "it holds bytes that are not UTF-8" in done.stdout
    assert (
        (tmp_path / "Dockerfile")
        .read_bytes()
        .endswith(b"ENV A=caf\xe9 \\\n    B=\xff\xfe\nUSER nobody\nCMD echo caf\xe9\n")
    )
    # Reports, diffs and JSON print such bytes without failing.
    write(tmp_path / "Dockerfile", latin1)
    for args in ((), ("--diff",), ("--output-format", "json"), ("--output-format", "sarif")):
        done = dockfix(*args, *ONLY, ".", cwd=tmp_path, strict_io=True)
        no_traceback(done)
        assert done.returncode == 1, (args, done.stderr)
    done = dockfix("--diff", *ONLY, ".", cwd=tmp_path, strict_io=True)
    assert "+ENV A=caf\udce9 \\\n" in done.stdout  # the byte itself, decoded here


def test_binary_files_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", FIXABLE)
    write(tmp_path / "Dockerfile.tar", b"ustar\x00\x00\x00" + bytes(range(256)) * 8)
    done = dockfix("--write", *ONLY, ".", cwd=tmp_path)
    no_traceback(done)
    assert done.returncode == 0, done.stderr  # found in a folder: not a Dockerfile, a warning
    assert (
        "Dockerfile.tar: binary file (it holds NUL bytes), not a Dockerfile; skipped"
        in done.stderr.splitlines()
    )
    assert (tmp_path / "Dockerfile").read_text() == FIXED
    done = dockfix("--write", *ONLY, "Dockerfile.tar", cwd=tmp_path)
    assert done.returncode == 2  # named: it could not be done
    assert "Dockerfile.tar: binary file" in done.stderr


def test_a_50_mb_file_is_refused_quickly(tmp_path: Path) -> None:
    line = b"RUN echo some work && touch /tmp/a-file-with-a-long-name > /dev/null\n"
    with open(tmp_path / "Dockerfile.huge", "wb") as f:
        f.write(b"FROM alpine:3.20\nENV A=1\nENV B=2\n")
        f.write(line * (50 * 1024 * 1024 // len(line) + 1))
    write(tmp_path / "Dockerfile", FIXABLE)
    size = (tmp_path / "Dockerfile.huge").stat().st_size
    assert size > 50 * 1024 * 1024
    started = time.monotonic()
    done = dockfix("--write", *ONLY, ".", cwd=tmp_path)
    elapsed = time.monotonic() - started
    no_traceback(done)
    assert done.returncode == 2
    assert (
        f"Dockerfile.huge: {size / 1048576:.1f} MiB is over the 16 MiB limit for a Dockerfile; "
        "skipped" in done.stderr.splitlines()
    )
    assert (tmp_path / "Dockerfile").read_text() == FIXED
    assert (tmp_path / "Dockerfile.huge").stat().st_size == size
    assert elapsed < 60  # not read, not parsed


def test_10000_files_in_one_folder(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"Dockerfile.{i:05}").write_text(FIXABLE if i % 1000 == 0 else FIXED)
    done = dockfix("--check", *ONLY, "many", cwd=tmp_path, timeout=600)
    no_traceback(done)
    assert done.returncode == 1
    assert done.stdout == "10 files would be fixed, 0 findings remaining\n"


# --- changes on disk and failed writes --------------------------------------------


def test_a_file_changed_between_read_and_write_is_not_overwritten(tmp_path: Path) -> None:
    # A large file keeps dockfix busy long enough after reading it. Whether it
    # has been read is seen from its access time, set older than its mtime so
    # that the first read moves it (relatime).
    path = write(
        tmp_path / "Dockerfile",
        FIXABLE + "RUN echo a step of the build && true\n" * 60_000,
    )
    write(tmp_path / "other" / "Dockerfile", FIXABLE)
    info = path.stat()
    os.utime(path, ns=(info.st_mtime_ns - 10**12, info.st_mtime_ns))
    before = path.stat().st_atime_ns
    proc = subprocess.Popen(
        [DOCKFIX, "--write", *ONLY, "--jobs", "1", "Dockerfile", "other"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        deadline = time.monotonic() + 60
        while path.stat().st_atime_ns == before and proc.poll() is None:
            if time.monotonic() > deadline:
                pytest.skip("the file system does not record access times")
            time.sleep(0.001)
        if proc.poll() is not None:
            pytest.skip("dockfix finished before the change could be made")
        with open(path, "a") as f:
            f.write("# edited by someone else\n")
        changed = path.read_bytes()
        _, stderr = proc.communicate(timeout=300)
    finally:
        proc.kill()
    assert "Traceback" not in stderr
    assert proc.returncode == 2, stderr
    assert "Dockerfile: changed on disk while dockfix worked on it; not written" in stderr
    assert path.read_bytes() == changed  # the other writer's version stands
    assert (tmp_path / "other" / "Dockerfile").read_text() == FIXED
    assert leftovers(tmp_path) == []


def _limit_file_size(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_a_failed_write_leaves_the_original_intact(tmp_path: Path) -> None:
    # The process may not write files over 4 KiB: the rewrite of the large file
    # fails half-way, as on a full disk; the small one is written.
    big = write(tmp_path / "big" / "Dockerfile", FIXABLE + "RUN true\n" * 1000)
    small = write(tmp_path / "small" / "Dockerfile", FIXABLE)
    original = big.read_bytes()
    done = subprocess.run(
        [DOCKFIX, "--write", *ONLY, "big", "small"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
        preexec_fn=_limit_file_size(4096),
        timeout=120,
    )
    no_traceback(done)
    assert done.returncode == 2
    assert (
        "big/Dockerfile: cannot write: File too large; the file is unchanged"
        in done.stderr.splitlines()
    )
    assert big.read_bytes() == original
    assert small.read_text() == FIXED
    assert leftovers(tmp_path) == []


# --- permissions, as a user who is not root ---------------------------------------


@pytest.fixture(scope="session")
def as_user() -> Iterator[tuple[Run, Path]]:
    """Run dockfix as an ordinary user, and a folder that user can use.

    As root, that is `nobody` with a virtual environment of its own (root's
    interpreter may sit where nobody can reach it), built offline from this
    checkout and its lock; when that cannot be done the tests are skipped,
    saying why.
    """
    base = Path(tempfile.mkdtemp(prefix="dockfix-user-"))
    base.chmod(0o755)
    try:
        if os.geteuid() != 0:
            yield _runner([DOCKFIX], None), base
            return
        uv = os.environ.get("UV") or shutil.which("uv")
        python = next(
            (
                p
                for p in (shutil.which("python3.11"), shutil.which("python3"), "/usr/bin/python3")
                if p and _usable_by_nobody(p)
            ),
            None,
        )
        if uv is None or python is None:
            pytest.skip("running as root, and no Python interpreter that `nobody` may run")
        venv = base / "venv"
        # The lock names every wheel, which `uv sync` left in uv's cache; a
        # `uv pip install` would resolve again and need the index offline.
        sync = [uv, "sync", "-q", "--locked", "--offline", "--no-dev", "--no-editable"]
        made = subprocess.run(
            [*sync, "--python", python],
            cwd=ROOT,
            env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)},
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            pytest.skip(f"running as root, and no environment for `nobody`: {made.stderr[-300:]}")
        yield _runner([str(venv / "bin" / "dockfix")], _become_nobody), base
    finally:
        shutil.rmtree(base, ignore_errors=True)


NOBODY = 65534


def _become_nobody() -> None:
    os.setgid(NOBODY)
    os.setgroups([])
    os.setuid(NOBODY)


def _usable_by_nobody(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; assert sys.version_info >= (3, 11)"],
            preexec_fn=_become_nobody,
            capture_output=True,
            cwd="/",
            timeout=60,
        )
    except OSError:
        return False
    return done.returncode == 0


def _runner(command: list[str], preexec: Callable[[], None] | None) -> Run:
    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        env = _env()
        env["HOME"] = str(cwd)
        return subprocess.run(
            [*command, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=preexec,
            timeout=120,
        )

    return run


def _owned(folder: Path) -> None:
    """Give `folder` and everything in it to the user the tests run as."""
    if os.geteuid() == 0:
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)


def test_unreadable_files_and_folders(as_user: tuple[Run, Path]) -> None:
    run, base = as_user
    work = Path(tempfile.mkdtemp(dir=base))
    write(work / "ok" / "Dockerfile", FIXABLE)
    secret = write(work / "secret" / "Dockerfile", FIXABLE)
    write(work / "closed" / "Dockerfile", FIXABLE)
    write(work / "ignored" / ".gitignore", "*.tmp\n")
    write(work / "ignored" / "Dockerfile", FIXABLE)
    _owned(work)
    secret.chmod(0)
    (work / "closed").chmod(0)
    (work / "ignored" / ".gitignore").chmod(0)
    try:
        done = run("--write", *ONLY, ".", cwd=work)
    finally:
        (work / "closed").chmod(0o755)
    no_traceback(done)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert "secret/Dockerfile: cannot read: Permission denied" in lines
    assert "closed: cannot read folder: Permission denied" in lines
    assert "ignored/.gitignore: cannot read: Permission denied; folder skipped" in lines
    assert (work / "ok" / "Dockerfile").read_text() == FIXED
    assert (work / "closed" / "Dockerfile").read_text() == FIXABLE
    assert (work / "ignored" / "Dockerfile").read_text() == FIXABLE
    assert "1 file fixed" in done.stderr


def test_read_only_folders_and_files(as_user: tuple[Run, Path]) -> None:
    run, base = as_user
    work = Path(tempfile.mkdtemp(dir=base))
    write(work / "ok" / "Dockerfile", FIXABLE)
    locked = write(work / "locked" / "Dockerfile", FIXABLE)
    frozen = write(work / "frozen" / "Dockerfile", FIXABLE)
    _owned(work)
    (work / "locked").chmod(0o555)
    frozen.chmod(0o444)
    try:
        done = run("--write", *ONLY, ".", cwd=work)
    finally:
        (work / "locked").chmod(0o755)
    no_traceback(done)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert "locked/Dockerfile: cannot write: Permission denied; the file is unchanged" in lines
    assert "frozen/Dockerfile: cannot write: the file is read-only; not written" in lines
    assert locked.read_text() == FIXABLE and frozen.read_text() == FIXABLE
    assert (work / "ok" / "Dockerfile").read_text() == FIXED
    assert leftovers(work) == []
    # Reporting needs no write access.
    (work / "locked").chmod(0o555)
    try:
        done = run(*ONLY, "locked", cwd=work)
    finally:
        (work / "locked").chmod(0o755)
    assert done.returncode == 1 and "locked/Dockerfile:2:1: DF001" in done.stdout


# --- signals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signum", "jobs"), [(signal.SIGINT, "1"), (signal.SIGTERM, "1"), (signal.SIGINT, "2")]
)
def test_sigint_and_sigterm_mid_run(tmp_path: Path, signum: int, jobs: str) -> None:
    count = 400
    body = FIXABLE + "RUN echo a step of the build && true\n" * 300
    fixed = FIXED + "RUN echo a step of the build && true\n" * 300
    paths = [write(tmp_path / f"s{i:03}" / "Dockerfile", body) for i in range(count)]
    proc = subprocess.Popen(
        [DOCKFIX, "--write", *ONLY, "--jobs", jobs, "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        deadline = time.monotonic() + 120
        while paths[0].read_text() == body and proc.poll() is None:
            assert time.monotonic() < deadline, "dockfix wrote nothing"
            time.sleep(0.005)
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 128 + signum, stderr
    texts = [p.read_text() for p in paths]
    done = sum(1 for t in texts if t == fixed)
    assert all(t in (body, fixed) for t in texts)  # no file half-written
    assert leftovers(tmp_path) == []
    assert 0 < done < count, "the run was not stopped mid-way"
    name = signal.Signals(signum).name
    last = stderr.splitlines()[-1]
    assert last.startswith(f"dockfix: interrupted ({name}) after ") and f"of {count} files" in last
    processed = int(last.split(" after ")[1].split(" of ")[0])
    files, fixes = ("file", "fix") if done == 1 else ("files", "fixes")
    assert f"{done} {files} fixed ({done} {fixes} applied)" in stderr  # the partial summary
    assert done <= processed < count
