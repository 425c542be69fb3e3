"""## What it does
Quiets `wget`'s progress bar in `RUN` (hadolint DL3047): `wget` gets
`--progress=dot:giga` where the stage's `wget` is GNU Wget 1.x, and `-q`
elsewhere. A `wget` that already has `--progress`, `-q`/`--quiet`,
`-nv`/`--no-verbose`, or writes its log to a file (`-o`, `-a`) is left alone.

GNU Wget 1.x is known to run when the stage is built from a Debian or Ubuntu
image (the official `debian`, `ubuntu` and `buildpack-deps` images, the Debian
and Ubuntu images `dockfix.images` knows (`mcr.microsoft.com/dotnet/sdk`, …), the
language images on their default Debian tags, any tag naming a Debian or
Ubuntu release), or when the `RUN` or an earlier one of the stage installs
`wget` with `apt-get`, `apt` or `apk` (Alpine's `wget` package is GNU Wget).

## Why is this bad?
Without a terminal, `wget` prints a line of dots for every few kilobytes it
downloads: a large download fills the build log with thousands of lines
(BuildKit truncates logs past a limit and hides what came after).

## Example
```dockerfile
FROM debian:bookworm
RUN wget https://example.com/tool.tar.gz
```

Use instead:
```dockerfile
FROM debian:bookworm
RUN wget --progress=dot:giga https://example.com/tool.tar.gz
```

## Fix safety
Safe: only what `wget` prints changes, never what it downloads, where it
writes it or its exit status. `--progress=dot:giga` keeps the messages and
errors and prints a dot per megabyte; it is used only with GNU Wget 1.x,
since BusyBox `wget` (Alpine's default) rejects `--progress` and Wget2
(Fedora 40 and later) fails on `dot:giga`, both failing the build. `-q`,
which every `wget` accepts, is used elsewhere; it also silences error
messages (the exit status still fails the build).

The option goes right after `wget`, also in the script of a `RUN <<EOF`
(a heredoc BuildKit hands to the shell as the script; only the option is
added to its body). Heredocs run as files (`#!`) or given to a command,
exec-form `RUN`s, non-POSIX shells and commands dockfix cannot read are left
alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix import images
from dockfix.images import Shells
from dockfix.packages import (
    ShellRun,
    external_base,
    family,
    first_word,
    has_flag,
    program,
    shell_runs,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, commands, edited_only
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF045",
    name="wget-progress",
    summary="wget without a progress bar: --progress=dot:giga (GNU Wget) or -q",
    safety=Safety.SAFE,
    hadolint="DL3047",
)
TRIGGERS = ("wget",)  # one occurs in every file it reports on
GNU = "--progress=dot:giga"
QUIET = "-q"


def _only_quieted(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: words in {(GNU,), (QUIET,)})


# What BuildKit must read in the output: only RUN commands change, by a
# `--progress=dot:giga` or `-q` word.
POSTCONDITION = keeps_commands(_only_quieted)


def _quiet(cmd: Command) -> bool:
    """hadolint's test: a progress option, or output that is quiet or logged."""
    flags = ("progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose")
    return has_flag(cmd, *flags) or "-nv" in cmd.args


def _installs_wget(cmd: Command) -> bool:
    name = program(cmd)
    if name in ("apt-get", "apt"):
        sub = first_word(cmd, ("install",))
    elif name == "apk":
        sub = first_word(cmd, ("add",))
    else:
        return False
    return sub is not None and "wget" in cmd.args


def _gnu_wget(tree: Dockerfile, shell_run: ShellRun, before: int) -> bool:
    """Whether the `wget` at command index `before` is GNU Wget 1.x."""
    base = external_base(tree, shell_run.stage)
    if family(base) == "debian" or (base is not None and images.shells(base) is Shells.DASH):
        return True  # Debian or Ubuntu (`images` knows more of their images)
    if any(_installs_wget(c) for c in shell_run.commands[:before]):
        return True
    for stage in reversed(ancestry(stages(tree), shell_run.stage)):
        for node in stage.instructions:
            if node is shell_run.run:
                return False
            if node.keyword != "run" or node.reading.json:
                continue
            if any(_installs_wget(c) for c in commands(node.reading.rest) or ()):
                return True
    return False


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for shell_run in shell_runs(tree, heredocs=True):
        edits = []
        for i, cmd in enumerate(shell_run.commands):
            if program(cmd) == "wget" and not _quiet(cmd):
                option = GNU if _gnu_wget(tree, shell_run, i) else QUIET
                edits.append(shell_run.after_word(cmd.words[0], option))
        if not edits:
            continue
        run = shell_run.run
        yield Finding(
            RULE,
            run,
            "wget prints a progress line every few kilobytes into the build log",
            Fix(
                (Edit((run,), (shell_run.edited(edits),)),),
                Safety.SAFE,
                "Quiet wget's progress",
                postcondition=POSTCONDITION,
            ),
        )
