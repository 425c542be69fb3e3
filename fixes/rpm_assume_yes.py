"""## What it does
Makes the RPM package managers answer their own prompts in `RUN`:
- `yum`, `dnf` and `microdnf` `install`, `groupinstall` and `localinstall`
  get `-y` after the subcommand (hadolint DL3030, DL3038);
- `zypper` `install`/`in`, `remove`/`rm`, `source-install`/`si` and `patch`
  get the global `-n` (`--non-interactive`) after `zypper` (DL3034).

A command that already has `-y`, `--assumeyes` (or `-n`, `--non-interactive`,
`--no-confirm` for zypper), in any position or combined with other short
flags (`-qy`), is left alone, as hadolint does.

## Why is this bad?
A build has no terminal: `yum install curl` asks "Is this ok [y/N]", reads
end-of-file, answers no and fails the build ("Operation aborted"); zypper
aborts the same way. The build works only when there happens to be nothing
to install or confirm.

## Example
```dockerfile
FROM rockylinux:9
RUN dnf install httpd && dnf clean all
```

Use instead:
```dockerfile
FROM rockylinux:9
RUN dnf install -y httpd && dnf clean all
```

The same holds in the script of a `RUN <<EOF` (a heredoc BuildKit hands to
the shell as the script, see `Instruction.script_heredoc`): the flag goes
into the heredoc's body, every other byte stays.

## Fix safety
Safe where the command's failure fails the `RUN` (it and the commands after
it are joined by `&&` to the end of the script, or the script starts with
`set -e`): where the build succeeded without the flag, the command had
nothing to ask (nothing to install, or `assumeyes` set in the image's
configuration), and the flag changes nothing; everywhere else the command
would stop at its prompt and fail the build. `microdnf` never asks and
accepts `-y` as a no-op: always safe. Unsafe elsewhere (`yum install x;
yum clean all`, and the lines of a heredoc script without `set -e`): there
an aborted prompt did not stop the build, which went on without the
packages, and the flag installs them. With `-n`, zypper takes each prompt's
default answer, which is what it would do on an answered prompt; prompts
without a safe default (licences) still abort, as before.

The flag goes right after the subcommand (zypper: after `zypper`, where global
options belong), so the author's layout is kept. Exec-form `RUN`s, heredocs
run as files (`#!`) or given to a command, non-POSIX shells and commands
dockfix cannot read are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.packages import failure_fails_run, first_word, has_flag, program, shell_runs
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import edited_only
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF041",
    name="rpm-assume-yes",
    summary="yum/dnf/microdnf install get -y, zypper gets -n",
    safety=Safety.SAFE,
    hadolint="DL3030,DL3034,DL3038",
)
TRIGGERS = ("yum", "dnf", "zypper")  # one occurs in every file it reports on

_DNF_SUBCOMMANDS = ("install", "groupinstall", "localinstall")
_ZYPPER_SUBCOMMANDS = ("install", "in", "remove", "rm", "source-install", "si", "patch")
_ADDED = {("-y",), ("-n",)}


def _only_flags_added(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: words in _ADDED)


# What BuildKit must read in the output: only RUN commands change, by a `-y`/`-n`.
POSTCONDITION = keeps_commands(_only_flags_added)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for shell_run in shell_runs(tree, heredocs=True):
        edits: list[tuple[int, int, str]] = []
        notes: list[str] = []
        safe = True
        for cmd in shell_run.commands:
            name = program(cmd)
            if name in ("yum", "dnf", "microdnf"):
                sub = first_word(cmd, _DNF_SUBCOMMANDS)
                if sub is not None and not has_flag(cmd, "y", "assumeyes"):
                    edits.append(shell_run.after_word(sub, "-y"))
                    notes.append(f"{name} {sub.value} without -y")
                    safe &= name == "microdnf" or failure_fails_run(shell_run, cmd)
            elif name == "zypper":
                sub = first_word(cmd, _ZYPPER_SUBCOMMANDS)
                if sub is not None and not has_flag(cmd, "non-interactive", "n", "no-confirm", "y"):
                    edits.append(shell_run.after_word(cmd.words[0], "-n"))
                    notes.append(f"zypper {sub.value} without -n")
                    safe &= failure_fails_run(shell_run, cmd)
        if edits:
            run = shell_run.run
            yield Finding(
                RULE,
                run,
                "; ".join(dict.fromkeys(notes)) + " (the build has no terminal to answer)",
                Fix(
                    (Edit((run,), (shell_run.edited(edits),)),),
                    Safety.SAFE if safe else Safety.UNSAFE,
                    "Answer the package manager's prompts",
                    postcondition=POSTCONDITION,
                ),
            )
