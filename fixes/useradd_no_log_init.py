"""## What it does
Adds `-l` (`--no-log-init`) to `useradd` when it creates a user with a high
or unknown user ID (more than five digits, or a variable), as hadolint
DL3046 asks.

## Why is this bad?
`useradd` reserves the user's entry in `/var/log/lastlog` and
`/var/log/faillog`, files indexed by user ID. For UID 100000000 the file is
"sparse" on disk, but image layers do not keep holes: the layer carries
gigabytes of zeros, and the build can run out of space.

## Example
```dockerfile
FROM debian:bookworm
RUN useradd -u 123456789 app
```

Use instead:
```dockerfile
FROM debian:bookworm
RUN useradd -l -u 123456789 app
```

## Fix safety
Safe: the user is created the same (name, ID, groups, home, shell); only
its empty entries in the login records are not written. Nothing in an image
reads them (`lastlog` and `faillog` report logins, which containers do not
have). Every `useradd` that has the option (shadow's, on Debian, Ubuntu,
RHEL and Alpine's `shadow` package) has had `-l` for decades; BusyBox's
`adduser` is a different command and is left alone.

The option goes right after `useradd`, also in the script of a `RUN <<EOF`
(a heredoc BuildKit hands to the shell as the script; only the option is
added to its body). Heredocs run as files (`#!`) or given to a command,
exec-form `RUN`s, non-POSIX shells and commands dockfix cannot read are left
alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.packages import has_flag, program, shell_runs
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, edited_only
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF046",
    name="useradd-no-log-init",
    summary="useradd -l for a high user ID",
    safety=Safety.SAFE,
    hadolint="DL3046",
)
TRIGGERS = ("useradd",)  # one occurs in every file it reports on


def _only_l_added(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: words == ("-l",))


# What BuildKit must read in the output: only RUN commands change, by a `-l`.
POSTCONDITION = keeps_commands(_only_l_added)


def uid(cmd: Command) -> str | None:
    """The user ID a `useradd` is given (`-u N`, `-uN`, `-ou N`, `--uid N`, `--uid=N`)."""
    args = cmd.args
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == "--uid":
            return args[i + 1] if i + 1 < len(args) else None
        if arg.startswith("--uid="):
            return arg.removeprefix("--uid=")
        if arg.startswith("-") and not arg.startswith("--") and "u" in arg:
            rest = arg[arg.index("u") + 1 :]
            if rest:
                return rest
            return args[i + 1] if i + 1 < len(args) else None
    return None


def high(value: str) -> bool:
    """More than five characters (hadolint's test), or not known from the file."""
    return len(value) > 5 or "$" in value or "`" in value


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for shell_run in shell_runs(tree, heredocs=True):
        edits = []
        unknown = False  # a user ID the file does not show (`--uid ${USER_UID}`)
        for cmd in shell_run.commands:
            if program(cmd) != "useradd" or has_flag(cmd, "l", "no-log-init"):
                continue
            value = uid(cmd)
            if value is not None and high(value):
                edits.append(shell_run.after_word(cmd.words[0], "-l"))
                unknown = unknown or not value.isdigit()
        if not edits:
            continue
        run = shell_run.run
        message = (
            "useradd with a user ID the file does not show (it may be high) may write "
            "huge login records into the layer"
            if unknown
            else "useradd with a high user ID writes huge login records into the layer"
        )
        yield Finding(
            RULE,
            run,
            message,
            Fix(
                (Edit((run,), (shell_run.edited(edits),)),),
                Safety.SAFE,
                "Add -l to useradd",
                postcondition=POSTCONDITION,
            ),
        )
