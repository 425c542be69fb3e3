"""## What it does
Finds a stage that creates a virtual environment (`uv venv /opt/venv`,
`python -m venv /opt/venv`) and then runs `uv pip install` without telling uv
which environment to use, and sets `ENV VIRTUAL_ENV=/opt/venv` for it.

## Why is this bad?
`uv pip install` does not look for Python on `PATH`: it installs into the
environment named by `VIRTUAL_ENV`, or a `.venv` in the working directory or
above, and otherwise stops with "No virtual environment found". Putting the
environment's `bin` on `PATH` is not enough, so
`RUN uv venv /opt/venv && uv pip install -e .` fails.

## Example
```dockerfile
ENV PATH="/opt/venv/bin:$PATH"
RUN uv venv /opt/venv && uv pip install -r requirements.txt
```

Use instead:
```dockerfile
ENV VIRTUAL_ENV=/opt/venv
ENV PATH="/opt/venv/bin:$PATH"
RUN uv venv /opt/venv && uv pip install -r requirements.txt
```

## Fix safety
Safe: it only names the environment the stage itself created, for a command
that fails without it. `VIRTUAL_ENV` also stays set in the image, which is
what activating the environment would do. The `ENV` goes after the stage's
first `ENV`, so merge-env can join them, when no command in between reads
`VIRTUAL_ENV` (uv, poetry, pipenv, …); otherwise right before the `RUN` that
needs it. A stage that sets `VIRTUAL_ENV`, `UV_PYTHON`, `UV_SYSTEM_PYTHON`
(uv's `--system`: it installs into the system's Python and never failed) or
`CONDA_PREFIX` (with `ENV` or `ARG`, itself or in a stage it is built FROM),
or whose `uv pip` commands pass `--python`, `-p`, `--system`, `--prefix` or
`--target`, is left alone, and
so is an environment at `.venv` in the working directory (uv finds that one).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_env
from dockfix.shell import Command, commands
from dockfix.stages import ancestry, stages
from dockfix.tree import Blank, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF013",
    name="uv-venv",
    summary="`uv pip install` needs VIRTUAL_ENV for a venv it did not create in .venv",
    safety=Safety.SAFE,
)
TRIGGERS = ("uv",)  # one occurs in every file it reports on

# What BuildKit must read in the output: the same build but for VIRTUAL_ENV.
POSTCONDITION = keeps_env(["VIRTUAL_ENV"])

_TARGETING = ("--python", "-p", "--system", "--prefix", "--target")
# Variables that tell `uv pip` where to install: UV_SYSTEM_PYTHON is
# `--system` (the system's interpreter, virtual environments ignored).
_CHOOSES_ENV = frozenset({"VIRTUAL_ENV", "UV_PYTHON", "UV_SYSTEM_PYTHON", "CONDA_PREFIX"})


def _created_venv(cmd: Command) -> str | None:
    args = [a for a in cmd.args if not a.startswith("-")]
    if cmd.name == "uv" and args[:1] == ["venv"]:
        return args[1] if len(args) > 1 else ".venv"
    if cmd.name in ("python", "python3") and cmd.args[:2] == ["-m", "venv"]:
        rest = [a for a in cmd.args[2:] if not a.startswith("-")]
        return rest[0] if rest else None
    return None


def _needs_env(cmd: Command) -> bool:
    if cmd.name != "uv" or cmd.args[:1] != ["pip"] or len(cmd.args) < 2:
        return False
    if cmd.args[1] not in ("install", "sync", "uninstall"):
        return False
    return not any(a.split("=")[0] in _TARGETING for a in cmd.args[2:])


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is None:
            continue
        # What the stage, or a stage it is built FROM, sets for its RUNs
        # (ENV, and ARG: build arguments are in the RUNs' environment).
        chain = ancestry(all_stages, stage)
        sets = {p.key for s in chain for i in s.instructions_of("env") for p in i.reading.pairs}
        sets |= {
            a.split("=", 1)[0]
            for s in chain
            for i in s.instructions_of("arg")
            for a in i.reading.args
        }
        if _CHOOSES_ENV & sets:
            continue
        workdir = "/"
        venv: str | None = None
        for node in stage.instructions:
            if node.keyword == "workdir" and node.reading.args:
                workdir = posixpath.normpath(posixpath.join(workdir, node.reading.args[0]))
            if node.keyword != "run" or node.reading.json or node.heredocs:
                continue
            for cmd in commands(node.reading.rest) or []:
                created = _created_venv(cmd)
                if created is not None:
                    venv = posixpath.normpath(posixpath.join(workdir, created))
                elif _needs_env(cmd) and venv is not None:
                    if venv == posixpath.join(workdir, ".venv") or "$" in venv:
                        break
                    found = _finding(tree, stage.instructions, node, venv)
                    if found is not None:
                        yield found
                    break
            else:
                continue
            break


# Tools that read VIRTUAL_ENV: setting it early must not reach any of them
# before the environment exists.
_READS_VIRTUAL_ENV = frozenset({"uv", "uvx", "poetry", "pipenv", "pdm", "hatch", "conda", "pixi"})


def _finding(
    tree: Dockerfile, body: tuple[Instruction, ...], run: Instruction, venv: str
) -> Finding | None:
    """Set VIRTUAL_ENV after the stage's first ENV (merge-env can join them)
    when nothing in between reads it; otherwise right before `run`."""
    envs = [i for i in body if i.keyword == "env"]
    anchor = envs[0] if envs and body.index(envs[0]) < body.index(run) else None
    if anchor is not None:
        between = body[body.index(anchor) + 1 : body.index(run)]
        for node in between:
            if node.keyword != "run":
                continue
            cmds = commands(node.reading.rest)
            if cmds is None or any(
                c.name in _READS_VIRTUAL_ENV and _created_venv(c) is None for c in cmds
            ):
                anchor = None
                break
    style = tree.style
    value = style.value(venv)
    if value is None:
        return None
    new = style.instruction("ENV", f"VIRTUAL_ENV={value}")
    if anchor is not None:
        edit = Edit((), (new,), after=anchor)
    else:
        spacing: list[Node] = [Blank(style.newline)] if style.blank_lines else []
        edit = Edit((run,), (new, *spacing, run))
    return Finding(
        RULE,
        run,
        f"`uv pip` finds no environment here: {venv} is not in VIRTUAL_ENV",
        Fix((edit,), Safety.SAFE, "Set VIRTUAL_ENV", postcondition=POSTCONDITION),
    )
