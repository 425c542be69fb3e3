"""cd-for-git's post-condition (`git_c_only`) reads the two scripts alone: it
accepts the fix's own rewrites and refuses every rewrite that is not `cd DIR
&&` becoming `-C DIR` on the git commands in that cd's reach."""

from __future__ import annotations

import importlib

import pytest

cd_for_git = importlib.import_module("fixes.cd_for_git")
git_c_only = cd_for_git.git_c_only

ACCEPTED = [
    (
        "git clone u /src && cd /src && git checkout v1",
        "git clone u /src && git -C /src checkout v1",
    ),
    (
        'cd "/src" && git fetch o "$R" && git checkout "$R" 2>/dev/null',
        'git -C "/src" fetch o "$R" && git -C "/src" checkout "$R" 2>/dev/null',
    ),
    (
        "git clone u && cd lib && git checkout 1 && cd .. && make -C lib",
        "git clone u && git -C lib checkout 1 && make -C lib",
    ),
    (
        "a || (git clone u /a && cd /a && git checkout v)",
        "a || (git clone u /a && git -C /a checkout v)",
    ),
    (
        "cd /x && git pull && cd /usr/src && ls",
        "git -C /x pull && cd /usr/src && ls",
    ),
    ("set -e\ncd /z && git checkout v3\n", "set -e\ngit -C /z checkout v3\n"),
]

REFUSED = [
    # The folder differs from the cd's.
    ("cd /src && git checkout v1", "git -C /other checkout v1"),
    # -C added where no cd went.
    ("git checkout v1", "git -C /src checkout v1"),
    # A cd removed whose reach holds another command.
    ("cd /src && git checkout v1 && make", "git -C /src checkout v1 && make"),
    # A git command in the reach left without -C.
    ("cd /src && git fetch && git checkout v1", "git -C /src fetch && git checkout v1"),
    # After `||`, the git command may run where the cd never went.
    ("test -d /d || cd /d && git pull", "test -d /d || git -C /d pull"),
    # Joined by `;`: a failed cd leaves git elsewhere.
    ("cd /e; git pull", "git -C /e pull"),
    # A relative redirection or glob: the shell reads it in its own folder.
    ("cd /b && git log -1 > c.txt", "git -C /b log -1 > c.txt"),
    ("cd /c && git am p/*.patch", "git -C /c am p/*.patch"),
    # `cd ..` back from a path of two folders is not where the script was.
    ("cd a/b && git pull && cd .. && ls", "git -C a/b pull && ls"),
    # Another word changed too.
    ("cd /src && git checkout v1", "git -C /src checkout v2"),
    # The cd kept and -C added: it would stack.
    ("cd /src && git checkout v1", "cd /src && git -C /src checkout v1"),
]


@pytest.mark.parametrize(("old", "new"), ACCEPTED)
def test_accepts_the_rewrite(old: str, new: str) -> None:
    assert git_c_only(old, new) is None


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_refuses_other_changes(old: str, new: str) -> None:
    assert git_c_only(old, new) is not None


@pytest.mark.parametrize(("old", "new"), ACCEPTED)
def test_the_fix_writes_what_its_post_condition_accepts(old: str, new: str) -> None:
    """The fix's own edits on the old script give the new one."""
    import dockfix
    from dockfix.packages import shell_runs

    tree = dockfix.parse("FROM debian:bookworm\nRUN <<EOF\n" + old.rstrip("\n") + "\nEOF\n")
    if not any(True for _ in shell_runs(tree, heredocs=True)):
        tree = dockfix.parse("FROM debian:bookworm\nRUN " + old.replace("\n", "; ") + "\n")
    (shell_run,) = shell_runs(tree, heredocs=True)
    edits = cd_for_git._edits(shell_run)
    script = shell_run.script
    for a, b, text in sorted(edits, reverse=True):
        script = script[:a] + text + script[b:]
    assert script.rstrip("\n") == new.rstrip("\n")
