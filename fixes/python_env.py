"""## What it does
Makes sure Python stages set `PYTHONDONTWRITEBYTECODE=1` and
`PYTHONUNBUFFERED=1`. A stage counts as a Python stage when its base image is
an official Python image (`python:*`, also under `docker.io/library/`) or one
of uv's Python images (`ghcr.io/astral-sh/uv:*python*`).

## Why is this bad?
Without `PYTHONUNBUFFERED=1`, Python buffers stdout when it is not a
terminal, so a container's logs arrive late or are lost when it crashes.
Without `PYTHONDONTWRITEBYTECODE=1`, Python writes `.pyc` files next to the
sources at run time, into a container layer nobody keeps.

## Example
```dockerfile
FROM python:3.12-slim
ENV APP_HOME=/app
```

Use instead:
```dockerfile
FROM python:3.12-slim
ENV APP_HOME=/app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
```
(merge-env then joins the two ENV instructions.)

## Fix safety
Unsafe: both variables change how Python behaves at run time (output is no
longer buffered; no bytecode cache is written), mildly but for every process
in the container. The new `ENV` goes right after the last `ENV` of the
stage that sets a `PYTHON*` variable, else right after its first `ENV` (so
merge-env can join them), else right after `FROM`.
A variable the stage, or a stage it is built from, already sets is left as
it is, whatever its value. A build that compiles bytecode when it installs
(`UV_COMPILE_BYTECODE` set in the stage or a stage it is built from) chose to
ship bytecode: it gets `PYTHONUNBUFFERED=1` only. A stage that runs nothing (no `RUN`, not the
image, not built on by another stage: a list of images, or a stage others
only copy files from) is left alone: its variables would count nowhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.build import ends_open
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_env
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF006",
    name="python-env",
    summary="Python stages should set PYTHONDONTWRITEBYTECODE=1 and PYTHONUNBUFFERED=1",
    safety=Safety.UNSAFE,
)
TRIGGERS = ("python",)  # one occurs in every file it reports on

WANTED = (("PYTHONDONTWRITEBYTECODE", "1"), ("PYTHONUNBUFFERED", "1"))
# What BuildKit must read in the output: the same build but for these two variables.
POSTCONDITION = keeps_env(k for k, _ in WANTED)
_PYTHON_IMAGE = re.compile(
    r"\A(?:(?:docker\.io/)?(?:library/)?python(?::\S*)?(?:@\S+)?"
    r"|ghcr\.io/astral-sh/uv:\S*python\S*)\Z",
    re.IGNORECASE,
)


def _sets(stage: Stage) -> set[str]:
    return {p.key for i in stage.instructions_of("env") for p in i.reading.pairs}


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    added: dict[int, set[str]] = {}  # what this pass's fixes set, by stage index
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is None:
            continue
        chain = ancestry(all_stages, stage)  # their ENV is inherited
        if not _PYTHON_IMAGE.match(chain[-1].image):
            continue
        if not _runs_python(all_stages, stage):
            continue
        have = set().union(*(_sets(s) | added.get(s.index, set()) for s in chain))
        if "UV_COMPILE_BYTECODE" in have:  # bytecode is wanted, written at install
            have.add("PYTHONDONTWRITEBYTECODE")
        missing = [(k, v) for k, v in WANTED if k not in have]
        if missing:
            added[stage.index] = {k for k, _ in missing}
            yield _finding(tree, stage, missing)


def _runs_python(all_stages: list[Stage], stage: Stage) -> bool:
    """Whether the stage's ENV can matter: it runs something (a RUN), is the
    image (the last stage), or is built on by a later stage. A stage that
    only lists an image, or that other stages only copy files from, runs
    nothing in which the variables would count."""
    if stage is all_stages[-1] or any(i.keyword == "run" for i in stage.instructions):
        return True
    return any(stage in ancestry(all_stages, other)[1:] for other in all_stages)


def _finding(tree: Dockerfile, stage: Stage, missing: list[tuple[str, str]]) -> Finding:
    envs = list(stage.instructions_of("env"))
    python = [i for i in envs if any(p.key.startswith("PYTHON") for p in i.reading.pairs)]
    anchor: Instruction
    if python:
        anchor = python[-1]
    elif envs:
        anchor = envs[0]
    else:
        anchor = stage.from_  # type: ignore[assignment]
    names = " and ".join(k for k, _ in missing)
    if ends_open(anchor):  # the file ends inside it: a line after it would join it
        return Finding(RULE, stage.from_, f"Python stage does not set {names}")  # type: ignore[arg-type]
    style = tree.style
    pairs = " ".join(f"{k}={style.value(v)}" for k, v in missing)
    new = style.instruction("ENV", pairs)
    # Beside the stage's Python variables, else its first ENV (merge-env can
    # join them), else after FROM.
    edit = Edit((), (new,) if envs else style.spaced([new]), after=anchor)
    names = " and ".join(k for k, _ in missing)
    return Finding(
        RULE,
        stage.from_,  # type: ignore[arg-type]
        f"Python stage does not set {names}",
        Fix((edit,), Safety.UNSAFE, f"Set {names}", postcondition=POSTCONDITION),
    )
