"""## What it does
Removes `sudo` from commands in `RUN` where the build already runs them as
root (hadolint DL3004): no `USER` in the stage or the stages it is built
`FROM`, on an official image known to run as root (`debian`, `ubuntu`,
`alpine`, `python`, `node`, …), or a last `USER` of `root` or `0`.

Only `sudo` with no option, or with options that change nothing for root
(`-E`, `-H`, `-n`, `-u root`, `-u 0`), is removed, with its options. A
`sudo` that runs as another user (`-u app`), starts a shell (`-i`, `-s`) or
uses any other option is reported and left alone, as is a `sudo` where the
user is not known to be root.

## Why is this bad?
`sudo` is meant for people at a terminal: it may not be installed, may ask
for a password, and resets the environment. As root it does nothing useful,
and where it does matter (a non-root `USER`) it is better to switch with
`USER root` and back, or use `gosu`/`su-exec` at run time.

## Example
```dockerfile
FROM ubuntu:24.04
RUN sudo apt-get update && sudo apt-get install -y curl
```

Use instead:
```dockerfile
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y curl
```

## Fix safety
Unsafe. As root, `sudo cmd` runs `cmd` as root too, but not in the same
environment: sudo resets it (`env_reset`), sets `PATH` to sudoers'
`secure_path` and may change `HOME` and the umask. Without it, `cmd` sees the
stage's `ENV` (a virtual environment's `PATH`, `DEBIAN_FRONTEND`, proxies),
which is usually what the author meant, but is a different command.
Where `sudo` is not installed (most base images), the build failed before
and works after.

The words removed are `sudo` and its options, up to the command, also in
the script of a `RUN <<EOF` (a heredoc BuildKit hands to the shell as the
script). Heredocs run as files (`#!`) or given to a command, exec-form
`RUN`s, non-POSIX shells and commands dockfix cannot read are left alone.

## Revealed findings
hadolint reads a command's name only, so `sudo apt-get install …` escapes
its rules on the command until `sudo` goes. The findings were there, hidden;
other fixes clear most of them: `DL3008`, `DL3009`, `DL3013`, `DL3014`,
`DL3015`, `DL3016`, `DL3018`, `DL3019`, `DL3027`, `DL3028`, `DL3030`,
`DL3032`, `DL3033`, `DL3034`, `DL3036`, `DL3037`, `DL3038`, `DL3040`,
`DL3041`, `DL3042`, `DL3046`, `DL3047`, `DL3060`, `DL3062`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.packages import (
    program,
    shell_runs,
    user_is_root,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, edited_only
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF047",
    name="sudo-as-root",
    summary="no sudo in RUN where the build runs as root",
    safety=Safety.UNSAFE,
    hadolint="DL3004",
)
TRIGGERS = ("sudo",)  # one occurs in every file it reports on
_HARMLESS = frozenset({"-E", "--preserve-env", "-H", "--set-home", "-n", "--non-interactive"})
_ROOT = frozenset({"root", "0"})


def _sudo_words(words: tuple[str, ...]) -> bool:
    """`sudo` and options that change nothing for root."""
    if not words or words[0].rsplit("/", 1)[-1] != "sudo":
        return False
    i = 1
    while i < len(words):
        if words[i] in _HARMLESS:
            i += 1
        elif words[i] in ("-u", "--user") and i + 1 < len(words) and words[i + 1] in _ROOT:
            i += 2
        elif re.fullmatch(r"--user=(root|0)|-u(root|0)", words[i]):
            i += 1
        else:
            return False
    return True


def _only_sudo_removed(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: False, delete=_sudo_words)


# What BuildKit must read in the output: only RUN commands change, by the
# removal of `sudo` and its options.
POSTCONDITION = keeps_commands(_only_sudo_removed)


def _removable(cmd: Command) -> int | None:
    """How many words of `cmd` (sudo and its options) go, or None."""
    values = [w.value for w in cmd.words]
    for n in range(1, len(values)):
        if values[n].startswith("-") or values[n - 1] in ("-u", "--user"):
            continue
        return n if _sudo_words(tuple(values[:n])) else None
    return None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for shell_run in shell_runs(tree, heredocs=True):
        sudos = [c for c in shell_run.commands if program(c) == "sudo"]
        if not sudos:
            continue
        run = shell_run.run
        message = "sudo in RUN"
        if not user_is_root(tree, shell_run):
            yield Finding(RULE, run, f"{message} (not fixed: the user is not known to be root)")
            continue
        edits = []
        why = None
        for cmd in sudos:
            n = _removable(cmd)
            if n is None:
                why = "a sudo that may do more than run as root"
                break
            start = shell_run.base + cmd.words[0].start
            end = shell_run.base + cmd.words[n].start
            # Offsets in the code already for a heredoc's script.
            a, b = (start, end) if shell_run.heredoc else run.raw_span(start, end)
            if re.search(r"\n[ \t]*#", run.code[a:b]):
                why = "a comment line between sudo and its command"
                break
            edits.append((start, end, ""))
        if why is not None:
            yield Finding(RULE, run, f"{message} (not fixed: {why})")
            continue
        yield Finding(
            RULE,
            run,
            f"{message}: the build already runs as root",
            Fix(
                (Edit((run,), (shell_run.edited(edits),)),),
                Safety.UNSAFE,
                "Remove sudo",
                postcondition=POSTCONDITION,
            ),
        )
