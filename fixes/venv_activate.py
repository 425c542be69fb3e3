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
container itself will. Rewriting `source` as `.` is safe: `.` is the POSIX
spelling with the same meaning in every shell, including bash; it is only done
when no `SHELL` instruction chose another shell for the stage. Heredoc bodies
and exec-form `RUN`s are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.editing import edit
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps
from dockfix.shell import commands
from dockfix.stages import stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF003",
    name="venv-activate",
    summary="Activating a virtual environment in RUN does not last; `source` fails in sh",
    safety=Safety.UNSAFE,
)
# What BuildKit must read in the output: only these parts may change.
POSTCONDITION = keeps("steps", "history", "config.env")

_ACTIVATE = re.compile(r"\A(?P<venv>/[^\s\"'$`;&|]*?)/bin/activate\Z")


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for stage in stages(tree):
        default_shell = stage.shell is None
        for run in stage.instructions_of("run"):
            if run.heredocs or run.reading.json:
                continue
            yield from _check_run(tree, run, default_shell)


def _check_run(tree: Dockerfile, run: Instruction, default_shell: bool) -> Iterator[Finding]:
    reading = run.reading
    cmds = commands(reading.rest)
    if not cmds:
        return
    activations = [c for c in cmds if c.name in ("source", ".") and len(c.words) == 2]
    if len(cmds) == 1 and activations and not reading.flags:
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
    for cmd in cmds:
        if cmd.words[0].text == "source":
            start = reading.rest_span.start + cmd.words[0].start
            fixed = edit(run, start, start + len("source"), ".")
            yield Finding(
                RULE,
                run,
                "`source` is not in /bin/sh (dash); use `.`",
                Fix((Edit((run,), (fixed,)),), Safety.SAFE, "Use `.`", postcondition=POSTCONDITION),
                column=1,
            )
            return  # one edit per instruction and round
