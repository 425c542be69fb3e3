"""pipefail's guards: `{ WRITER || true; }` around the pipe writers that
pipefail would fail on a normal answer, and the check that reads a guarded
text back from the two texts alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import dockfix
from dockfix.fixes.pipefail import guarded_text, only_guards_added, postcondition, risky_pipe


@pytest.mark.parametrize(
    ("script", "guarded"),
    [
        ("grep x f | sort", "{ grep x f || true; } | sort"),
        ("yes | apt-get install x", "{ yes || true; } | apt-get install x"),
        # Every writer before a reader that may leave early gets SIGPIPE.
        ("cat a | tr a b | head -1", "{ cat a || true; } | { tr a b || true; } | head -1"),
        # Assignments before the command belong to its stage.
        ("LC_ALL=C ldd /x | awk 1", "{ LC_ALL=C ldd /x || true; } | awk 1"),
        # xargs running a command that fails on a normal answer.
        (
            "find / -name '*.so' | xargs -r dpkg-query --search | cut -d: -f1",
            "find / -name '*.so' | { xargs -r dpkg-query --search || true; } | cut -d: -f1",
        ),
        # A substitution in an assignment: its status is the assignment's.
        (
            "V=$(curl -s x | head -n1) && echo $V",
            "V=$({ curl -s x || true; } | head -n1) && echo $V",
        ),
        # After `!`, `if`, `&&`: where a command starts.
        ("! getent passwd a | grep -q a", "! { getent passwd a || true; } | grep -q a"),
        ("if dpkg -l | grep -q x; then :; fi", "if { dpkg -l || true; } | grep -q x; then :; fi"),
        ("set -e && ls /o/*.jar | wc -l", "set -e && { ls /o/*.jar || true; } | wc -l"),
        # A group of the script's own is read as such, not as a guard.
        (
            "for k in a b; do { gpg -r $k || gpg -R $k; }; done && grep x f | sort",
            "for k in a b; do { gpg -r $k || gpg -R $k; }; done && { grep x f || true; } | sort",
        ),
        # Nothing at risk, or nothing that can be guarded so.
        ("curl -fsSL x | tar -xz", None),
        ("grep x f | sort || true", None),  # the pipe's status is not used
        ("{ grep x f; } | sort", None),  # a compound command
        ("V=`curl -s x | head -n1`", None),  # backquotes
        # `|| true` would turn `set -e` off inside a function or an eval.
        ("set -e; f() { false; echo y; }; f | grep -q y", None),
        ("set -e; function f { false; }; grep x f | sort", None),
        ('eval "$CMD" | head -1', None),
    ],
)
def test_guarded_text(script: str, guarded: str | None) -> None:
    assert guarded_text(script) == guarded
    if guarded is not None:
        assert risky_pipe(script) is not None
        assert risky_pipe(guarded) is None
        assert only_guards_added(script, guarded)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # A guard around the last stage would hide a failure that counted.
        ("grep x f | sort", "grep x f | { sort || true; }"),
        ("make && grep x f | sort", "{ make || true; } && { grep x f || true; } | sort"),
        # A guard must open where a command starts.
        ("echo a grep x | sort", "echo a { grep x || true; } | sort"),
        # Anything else changed.
        ("grep x f | sort", "{ grep y f || true; } | sort"),
        ("grep x f | sort", "{ grep x f || true; } | sort -u"),
        # Unbalanced, or a pipe still at risk.
        ("grep x f | sort", "{ grep x f | sort"),
        ("grep x f | grep y | sort", "{ grep x f || true; } | grep y | sort"),
    ],
)
def test_only_guards_added_refuses(before: str, after: str) -> None:
    assert not only_guards_added(before, after)


SHELL = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'


def _file(run: str, shell: str = SHELL) -> str:
    return f'FROM debian:12\n{shell}RUN {run}\nCMD ["app"]\n'


BEFORE = _file("grep -h deb /etc/apt/sources.list | sort -u > /s", shell="")


@pytest.mark.parametrize(
    ("after", "accepted"),
    [
        (_file("{ grep -h deb /etc/apt/sources.list || true; } | sort -u > /s"), True),
        # pipefail without the guard: a source list without `deb` fails the build.
        (_file("grep -h deb /etc/apt/sources.list | sort -u > /s"), False),
        # The guard around the stage whose status counts.
        (_file("grep -h deb /etc/apt/sources.list | { sort -u > /s || true; }"), False),
        # The guard without pipefail: nothing asked for it.
        (_file("{ grep -h deb /etc/apt/sources.list || true; } | sort -u > /s", shell=""), False),
    ],
)
def test_postcondition_reads_the_guards(after: str, accepted: bool) -> None:
    reason = postcondition(dockfix.parse(BEFORE), dockfix.parse(after))
    assert (reason is None) is accepted, reason


# Run for real: the old script under dash (`/bin/sh` of Debian's images), the
# guarded one under `bash -o pipefail`, on files where each writer gives its
# "normal" failure (nothing found, SIGPIPE). Same output, same status; and
# pipefail without the guards changes one or the other.
RUNS = [
    "grep -h deb sources.list | sort -u",
    "cat big.txt | head -n 1",
    "yes | head -n 2",
    "V=$(cat big.txt | head -n 1) && echo $V",
    "LC_ALL=C grep -c zzz sources.list | cat",
    "if grep -q nothing sources.list | cat; then echo yes; fi",
    "find . -name '*.txt' | xargs -r grep -l nothing | sort",
    "grep x sources.list 2>/dev/null | sort",
    'V="$(cat big.txt | head -n 1)" && echo $V',
    "true && grep -h nope sources.list | wc -l",
    "cat big.txt|head -1",
    "A=1 B=2 cat big.txt | head -n1 > out.txt && cat out.txt",
]


@pytest.mark.skipif(shutil.which("dash") is None, reason="needs dash")
@pytest.mark.parametrize("script", RUNS)
def test_guarded_scripts_run_as_before(script: str, tmp_path: Path) -> None:
    (tmp_path / "sources.list").write_text("# none here\n")
    (tmp_path / "big.txt").write_text("line\n" * 200_000)  # more than a pipe holds
    guarded = guarded_text(script)
    assert guarded is not None

    def run(*argv: str) -> tuple[int, str]:
        done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=60)
        return done.returncode, done.stdout

    old = run("dash", "-c", script)
    assert old[0] == 0
    assert run("bash", "-o", "pipefail", "-c", guarded) == old
    assert run("bash", "-o", "pipefail", "-c", script) != old  # what the guards are for
