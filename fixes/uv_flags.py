"""## What it does
Finds `uv pip install` commands given `--locked` or `--frozen`.

## Why is this bad?
Those flags belong to `uv sync` (and `uv run`, `uv lock`, ...), which install
from `uv.lock`. `uv pip install` does not read the lock file and rejects them:
`error: unexpected argument '--locked' found`, so the build fails.

## Example
```dockerfile
COPY . .
RUN uv pip install --system --locked .
```

Use instead (with a `uv.lock` in the build context):
```dockerfile
COPY . .
RUN uv sync --locked --no-dev --no-editable
```

## Fix safety
Unsafe, and offered only when the intent is clear: the command installs the
project itself (`.`, `-e .`, `-r pyproject.toml`) and the build context holds
a `uv.lock`. Then the locked `uv sync` form installs what the lock file
says, into the project's virtual environment (`.venv`) rather than where
`uv pip install` would have put it; `--no-dev` and `--no-editable` keep the
set of packages and the install mode of the original command. Otherwise the
finding is reported without a fix: dropping the flag would install
unlocked versions, which is not what the author asked for.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.editing import edit
from dockfix.rewrites import rewrites, script_rewritten
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.shell import Command, commands
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF005",
    name="uv-flags",
    summary="`uv pip install` has no --locked/--frozen; those belong to `uv sync`",
    safety=Safety.UNSAFE,
)
TRIGGERS = ("uv",)  # one occurs in every file it reports on
# What BuildKit must read in the output: only these parts may change.


def pip_install_becomes_sync(old: str, new: str) -> str | None:
    """`new` is `old` with one `uv pip install …` command replaced by the
    `uv sync --locked --no-dev [--no-editable]` this fix writes."""
    for cmd in commands(old) or []:
        if not _uv_pip_install(cmd):
            continue
        for sync in ("uv sync --locked --no-dev", "uv sync --locked --no-dev --no-editable"):
            if old[: cmd.start] + sync + old[cmd.end :] == new:
                return None
    return "the change is not a `uv pip install` becoming `uv sync --locked`"


# What BuildKit must read in the output: only the script of the RUN changes.
POSTCONDITION = rewrites(script_rewritten(pip_install_becomes_sync))

_LOCK_FLAGS = ("--locked", "--frozen")
_PROJECT = ({"."}, {"-e", "."}, {"-e."}, {"-r", "pyproject.toml"})


def _uv_pip_install(cmd: Command) -> bool:
    return cmd.name == "uv" and cmd.args[:2] == ["pip", "install"]


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for run in tree.instructions:
        reading = run.reading
        if reading.keyword != "run" or reading.json or run.heredocs:
            continue
        for cmd in commands(reading.rest) or []:
            if _uv_pip_install(cmd) and set(cmd.args) & set(_LOCK_FLAGS):
                yield _finding(run, cmd, context)
                break


def _finding(run: Instruction, cmd: Command, context: Context) -> Finding:
    args = cmd.args[2:]
    flags = [a for a in args if a in _LOCK_FLAGS]
    # What it installs: the arguments but long options (`-e .`, `-r pyproject.toml`).
    targets = {
        "-e" if a == "--editable" else a
        for a in args
        if not a.startswith("--") or a == "--editable"
    }
    editable = bool({"-e", "-e."} & targets)
    fix = None
    if context.exists("uv.lock") and any(targets == p for p in _PROJECT):
        sync = "uv sync --locked --no-dev" + ("" if editable else " --no-editable")
        start = run.reading.rest_span.start
        fixed = edit(run, start + cmd.start, start + cmd.end, sync)
        fix = Fix(
            (Edit((run,), (fixed,)),),
            Safety.UNSAFE,
            "Use `uv sync --locked`",
            postcondition=POSTCONDITION,
        )
    return Finding(
        RULE,
        run,
        f"`uv pip install` has no {'/'.join(flags)} (it belongs to `uv sync`); the build fails",
        fix,
    )
