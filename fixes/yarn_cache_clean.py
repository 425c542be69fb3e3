"""## What it does
Ends a `RUN` that runs `yarn install` (or a bare `yarn`, not `yarn
--version`) with `&& yarn cache clean` (hadolint DL3060), unless the `RUN` already cleans the
cache after its install or has a cache or tmpfs mount on yarn's cache (a
target holding `.cache/yarn`). As hadolint does, it looks only at the stages
that end up in an image: the last stage and the stages other stages are
built `FROM`.

## Why is this bad?
Yarn 1 keeps a copy of every package it installed in its global cache
(`/usr/local/share/.cache/yarn` for root): the layer carries the
dependencies twice, once in `node_modules` and once in the cache.

## Example
```dockerfile
FROM node:20
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
```

Use instead:
```dockerfile
FROM node:20
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean
```

## Fix safety
Safe where the build context shows Yarn 1 ("classic"): its `yarn.lock` is a
"yarn lockfile v1", and neither a `.yarnrc.yml` nor `package.json`'s
`packageManager` asks for Yarn 2 or later. Yarn 1 installs copies into
`node_modules` and never reads the cache again unless a later command
installs `--offline` or without network (`RUN --network=none`); the fix
steps aside (with a report) where a later `RUN` of the stage, or of a stage
built `FROM` it, or an `ONBUILD RUN` trigger of those stages (it runs in the
images built FROM them), does, in whatever form (exec form and heredocs are
read too), where
the install names its own `--cache-folder` (or `YARN_CACHE_FOLDER=…` in
front of it), and where the `RUN` does not end with its last command.

Unsafe where the context does not tell which Yarn runs. With Yarn 2 or later
(shown by `.yarnrc.yml`, a lockfile with `__metadata`, or `packageManager`),
it is reported and not fixed: Plug'n'Play runs the packages straight from
the cache, and cleaning it would break the application.

The command is appended in the layout of the `RUN` (`; yarn cache clean` in a
`set -e` script of `;`-separated commands), as `rpm-clean-cache`
does, also in the script of a `RUN <<EOF` (on a line of its own after a
`set -e` script, else `&& yarn cache clean` after the last command, so the
script exits as before). Heredocs run as files (`#!`) or given to a command,
exec-form `RUN`s, non-POSIX shells and commands dockfix cannot read are left
alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockfix.packages import (
    ShellRun,
    appended_piece,
    cache_mount_with,
    cleanup_edit,
    first_word,
    later_runs,
    program,
    run_commands,
    shell_runs,
    without_network,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, edited_only
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF044",
    name="yarn-cache-clean",
    summary="yarn install ends with yarn cache clean in the same RUN",
    safety=Safety.SAFE,
    hadolint="DL3060",
)
TRIGGERS = ("yarn",)  # one occurs in every file it reports on
CLEAN = ("yarn", "cache", "clean")


def _only_clean_appended(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: appended_piece(old, words, CLEAN))


# What BuildKit must read in the output: only RUN commands change, by an
# appended `yarn cache clean`.
POSTCONDITION = keeps_commands(_only_clean_appended)


# Options with which a bare `yarn` prints something instead of installing.
_NOT_INSTALLING = frozenset({"--version", "-v", "-V", "--help", "-h"})


def is_install(cmd: Command) -> bool:
    """`yarn install …` (hadolint's test), or a bare `yarn` with options only
    (not `yarn --version`, which installs nothing)."""
    if program(cmd) != "yarn":
        return False
    if "install" in cmd.args:
        return True
    return all(a.startswith("-") for a in cmd.args) and not _NOT_INSTALLING & set(cmd.args)


def is_clean(cmd: Command) -> bool:
    return (
        program(cmd) == "yarn" and first_word(cmd, ("cache",)) is not None and "clean" in cmd.args
    )


def yarn_version(context: Context) -> str:
    """ "classic", "berry" or "unknown": which Yarn the build context shows."""
    if context.exists(".yarnrc.yml"):
        return "berry"
    manifest = context.read("package.json")
    if manifest is not None:
        try:
            manager = json.loads(manifest).get("packageManager", "")
        except (ValueError, AttributeError):
            manager = ""
        if isinstance(manager, str) and manager.startswith("yarn@"):
            return "classic" if manager.startswith("yarn@1.") else "berry"
    lock = context.read("yarn.lock")
    if lock is None:
        return "unknown"
    if "__metadata:" in lock:
        return "berry"
    return "classic" if "# yarn lockfile v1" in lock else "unknown"


def _kept_stages(tree: Dockerfile) -> set[int]:
    """The stages whose files reach an image: the last, and those built FROM by another."""
    all_stages = [s for s in stages(tree) if s.from_ is not None]
    kept = {all_stages[-1].index} if all_stages else set()
    for stage in all_stages:
        kept |= {s.index for s in ancestry(stages(tree), stage)[1:]}
    return kept


def _offline_later(runs: list[Instruction]) -> bool:
    """Whether one of `runs` may install from yarn's cache without network:
    `--offline`, or yarn in a `RUN --network=none`."""
    for run in runs:
        offline = without_network(run)
        cmds = run_commands(run)
        if cmds is None:  # exec form, other heredocs, unreadable: the option anywhere
            text = " ".join([run.reading.rest, *run.reading.args])
            text += "".join(h.content for h in run.heredocs)
            if "offline" in text or (offline and "yarn" in text):
                return True
            continue
        if any(program(c) == "yarn" and ("--offline" in c.args or offline) for c in cmds):
            return True
    return False


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    kept = _kept_stages(tree)
    version: str | None = None
    for shell_run in shell_runs(tree, heredocs=True):
        if shell_run.stage.index not in kept:
            continue
        cmds = shell_run.commands
        installs = [i for i, c in enumerate(cmds) if is_install(c)]
        if not installs:
            continue
        cleans = [i for i, c in enumerate(cmds) if is_clean(c)]
        if cleans and cleans[-1] > installs[-1]:
            continue
        run = shell_run.run
        if cache_mount_with(run, ".cache/yarn"):
            continue
        if version is None:
            version = yarn_version(context)
        yield _finding(tree, shell_run, installs, version)


# YARN_CACHE_FOLDER assigned in front of a command (not exported).
_PREFIXED_CACHE = re.compile(r"(?:^|[;&|(]|\n)\s*(?:\w+=\S*\s+)*YARN_CACHE_FOLDER=")


def _finding(tree: Dockerfile, shell_run: ShellRun, installs: list[int], version: str) -> Finding:
    run, cmds = shell_run.run, shell_run.commands
    edit = cleanup_edit(tree, shell_run, "yarn cache clean")
    message = "yarn install leaves a second copy of the packages in yarn's cache"
    refusal = None
    if version == "berry":
        refusal = "Yarn 2+ may run the packages from its cache (Plug'n'Play)"
    elif any(a.split("=", 1)[0] == "--cache-folder" for i in installs for a in cmds[i].args):
        refusal = "the install names its own --cache-folder"
    elif _PREFIXED_CACHE.search(shell_run.script):
        # `YARN_CACHE_FOLDER=/tmp/y yarn install`: the assignment is the
        # install's only, and a plain `yarn cache clean` cleans another folder.
        refusal = "the install is given its own YARN_CACHE_FOLDER"
    elif edit is None:
        refusal = "the RUN does not end with its last command"
    elif _offline_later(later_runs(tree, shell_run.stage, run)):
        refusal = "a later RUN installs from the cache: --offline, or without network"
    if refusal is not None or edit is None:
        return Finding(RULE, run, f"{message} (not fixed: {refusal})")
    fixed = shell_run.edited([edit])
    return Finding(
        RULE,
        run,
        message,
        Fix(
            (Edit((run,), (fixed,)),),
            Safety.SAFE if version == "classic" else Safety.UNSAFE,
            "Clean yarn's cache in the same RUN",
            postcondition=POSTCONDITION,
        ),
    )
