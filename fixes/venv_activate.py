"""## What it does
Finds `RUN` instructions that activate a virtual environment.
A `RUN` that does nothing but `source /opt/venv/bin/activate` (or
`. /opt/venv/bin/activate`) is replaced with what activation means:
`ENV VIRTUAL_ENV=/opt/venv` and `ENV PATH="/opt/venv/bin:$PATH"`. Inside a
longer `RUN`, `source` is rewritten as `.` when the stage uses the default
shell.

## Why is this bad?
Every `RUN` starts a new shell: what `activate` sets is gone when the `RUN`
ends, so a `RUN` that only activates has no effect on the instructions after
it. And `source` is a bash word: the default `/bin/sh` of Debian and Ubuntu
images (dash) does not know it, so `source venv/bin/activate && pip install …`
fails there.

## Example
```dockerfile
RUN python -m venv /opt/venv
RUN . /opt/venv/bin/activate
RUN source /opt/venv/bin/activate && pip install -r requirements.txt
```

Use instead:
```dockerfile
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN . /opt/venv/bin/activate && pip install -r requirements.txt
```

## Fix safety
Replacing an activate-only `RUN` with `ENV` is unsafe: the image did not have
the virtual environment on `PATH` before, and every later instruction and the
container itself will. Rewriting `source` as `.` is safe where the RUN
failed at `source` under dash ("not found": `source x && pip install …` as
the last list, or after `set -e`): `.` is the POSIX spelling with the same
meaning in every shell, including bash, and where /bin/sh is bash nothing
changes. Where the script went on after the failed `source` (`source x;
pip install …`, `|| true`, `if`, a subshell), `.` is not a spelling under
dash: the environment is now activated, so `pip` installs into it and not
into the system's Python the app may run, or the shell exits when the file
is missing; that fix is unsafe. It is only done
when no `SHELL` instruction chose another shell for the stage or a stage it
is built FROM (nor the image, as Jupyter's and CircleCI's do), and not for a
`source FILE ARGS`: bash gives the script its arguments, POSIX `.` takes none
(dash ignores them), so that is reported only. Heredoc bodies and exec-form
`RUN`s are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dockfix.editing import edit_many
from dockfix.images import configured_shell
from dockfix.rewrites import Step, compare, script_rewritten
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import model, without_env
from dockfix.shell import Command, commands
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF003",
    name="venv-activate",
    summary="Activating a virtual environment in RUN does not last; `source` fails in sh",
    safety=Safety.UNSAFE,
)
TRIGGERS = ("source", "activate")  # one occurs in every file it reports on
_ACTIVATE = re.compile(r"\A(?P<venv>/[^\s\"'$`;&|]*?)/bin/activate\Z")


def source_becomes_dot(old: str, new: str) -> str | None:
    """`new` is `old` with its `source` commands (taking one argument) read as `.`."""
    sources = [c.words[0] for c in commands(old) or [] if c.words[0].text == "source"]
    if not sources or any(len(c.words) != 2 for c in commands(old) or [] if c.name == "source"):
        return "the change is not a `source` becoming `.`"
    dotted = old
    for word in reversed(sources):
        dotted = dotted[: word.start] + "." + dotted[word.end :]
    return None if dotted == new else "the change is not a `source` becoming `.`"


def activation_gone(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A `RUN` that only activated a virtual environment, gone."""
    step = old[i] if i < len(old) else None
    if step is None or step[0] != "run":
        return None
    command = step[1]
    if not isinstance(command, tuple) or len(command) != 3 or command[:2] != ("/bin/sh", "-c"):
        return None
    cmds = commands(str(command[2]))
    if not cmds or len(cmds) != 1 or cmds[0].name not in (".", "source"):
        return None
    return (1, 0) if _ACTIVATE.match(" ".join(cmds[0].args)) else None


def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
    """What BuildKit must read in the output: the same build but for the values
    of VIRTUAL_ENV and PATH, without the `RUN`s that only activated the
    environment, and with `source` read as `.` in other scripts."""
    keys = ("VIRTUAL_ENV", "PATH")
    old, new = without_env(model(before), keys), without_env(model(after), keys)
    rules = [activation_gone, script_rewritten(source_becomes_dot)]
    reason = compare(old, new, rules, allowed=("history",))
    if reason is not None:
        return reason
    for n, (a, b) in enumerate(zip(old.stages, new.stages, strict=True)):
        i = j = 0
        while i < len(a.history) or j < len(b.history):
            x = a.history[i] if i < len(a.history) else None
            y = b.history[j] if j < len(b.history) else None
            if x is not None and y is not None and (x == y or _rewritten(x, y)):
                i, j = i + 1, j + 1
            elif x is not None and x[0] == "run" and activation_gone([x], 0, [], 0):
                i += 1
            else:
                return f"stage {n + 1}: the image history differs"
    return None


POSTCONDITION = postcondition


def _rewritten(old: Step, new: Step) -> bool:
    """History entries of a `RUN` whose `source` became `.`."""
    if old[0] != "run" or new[0] != "run":
        return False
    a, b = old[1], new[1]
    if not isinstance(a, tuple) or not isinstance(b, tuple) or not a or a[:-1] != b[:-1]:
        return False
    return source_becomes_dot(str(a[-1]), str(b[-1])) is None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        default_shell = _default_shell(all_stages, stage)
        for run in stage.instructions_of("run"):
            if run.heredocs or run.reading.json:
                continue
            yield from _check_run(tree, run, default_shell)


def _default_shell(all_stages: list[Stage], stage: Stage) -> bool:
    """Whether the stage's RUNs run in the image's default `/bin/sh`: no
    `SHELL` in it nor in the stages it is built FROM (a SHELL carries over in
    the image config), and not an image known to set its own shell."""
    chain = ancestry(all_stages, stage)
    return all(link.shell is None for link in chain) and configured_shell(chain[-1].image) is None


def _check_run(tree: Dockerfile, run: Instruction, default_shell: bool) -> Iterator[Finding]:
    reading = run.reading
    cmds = commands(reading.rest)
    if not cmds:
        return
    activations = [c for c in cmds if c.name in ("source", ".") and len(c.words) == 2]
    # Only under /bin/sh: the post-condition reads the step as `/bin/sh -c`.
    if len(cmds) == 1 and activations and not reading.flags and default_shell:
        m = _ACTIVATE.match(activations[0].args[0])
        style = tree.style
        venv = m.group("venv") if m else ""
        value, path = style.value(venv), style.value(f"{venv}/bin:$PATH")
        if m and value is not None and path is not None:
            new = (
                style.instruction("ENV", f"VIRTUAL_ENV={value}"),
                style.instruction("ENV", f"PATH={path}"),
            )
            yield Finding(
                RULE,
                run,
                "activating a virtual environment in its own RUN has no lasting effect; "
                "set VIRTUAL_ENV and PATH with ENV",
                Fix(
                    (Edit((run,), new),),
                    Safety.UNSAFE,
                    "Replace with ENV",
                    postcondition=POSTCONDITION,
                ),
            )
            return
    if not default_shell:
        return
    sources = [cmd for cmd in cmds if cmd.words[0].text == "source"]
    if not sources:
        return
    message = "`source` is not in /bin/sh (dash); use `.`"
    if any(len(cmd.words) > 2 for cmd in sources):
        # `source FILE ARGS` gives FILE its arguments in bash; POSIX `.` takes
        # none (dash ignores them, shellcheck's SC2240).
        yield Finding(RULE, run, f"{message} (not done: `.` takes no arguments in sh)", column=1)
        return
    base = reading.rest_span.start
    spans = [(base + c.words[0].start, base + c.words[0].end, ".") for c in sources]
    # Under dash, `source` is "not found": the RUN failed unless the script
    # went on past it (`source x; pip install …`). There, `.` is not a
    # spelling: it activates (later commands use the environment's pip), or
    # exits the shell when the file is missing (a failing special builtin).
    tolerated = _compound(reading.rest) or not all(_fatal(cmds, cmds.index(cmd)) for cmd in sources)
    if tolerated:
        message += (
            " (unsafe: where /bin/sh is dash the RUN went on after `source` failed; "
            "with `.` the environment is activated, or the RUN stops if the file is missing)"
        )
    yield Finding(
        RULE,
        run,
        message,
        Fix(
            (Edit((run,), (edit_many(run, spans),)),),
            Safety.UNSAFE if tolerated else Safety.SAFE,
            "Use `.`",
            postcondition=POSTCONDITION,
        ),
        column=1,
    )


_LIST_END = ("", ";", "\n", "&")


def _compound(script: str) -> bool:
    """Whether the script has compound commands, negations or subshells,
    where a failing command may not end the RUN."""
    return bool(_COMPOUND.search(script))


_COMPOUND = re.compile(
    r"(?:^|[\s;&|])(?:if|then|else|elif|while|until|do|case|!|\{|\})(?=\s|;|$)|(?<!\$)\("
)


def _fatal(cmds: Sequence[Command], i: int) -> bool:
    """Whether a failure of command `i` (dash's "source: not found") fails the
    RUN: it ends the script, or only `&&` links it to the end of the last
    list, or `set -e` is on and it stands alone."""
    if cmds[i].after in ("|", "&", "||"):
        return False
    rest = cmds[i + 1 :]
    if all(c.before == "&&" for c in rest):
        return True
    errexit = (
        cmds[0].name == "set"
        and any(a.startswith("-") and "e" in a and not a.startswith("--") for a in cmds[0].args)
        and i > 0
    )
    return errexit and cmds[i].before in (";", "\n") and cmds[i].after in _LIST_END[:3]
