"""## What it does
Gives `pip install` the `--no-cache-dir` option (hadolint DL3042): `pip`,
`pip3`, `pip3.12` and `python -m pip` / `python3 -m pip`. It leaves alone
`pipx` and `pipenv`, `uv pip`, `pip download` and `pip wheel` (which write
what they fetch where they are told), and a `RUN`:
- with a cache or tmpfs mount on pip's cache (a target holding `.cache/pip`,
  or any cache mount where `PIP_CACHE_DIR` or `--cache-dir` points);
- where `PIP_NO_CACHE_DIR` is set to a true value (`1`, `true`, `on`, `yes`)
  in the `RUN` itself or by an `ENV` of the stage (or of a stage it is built
  `FROM`) above it;
- whose install chooses its own `--cache-dir` (reported, not fixed).

## Why is this bad?
pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an image
nothing installs from that cache again, and it can weigh as much as the
packages themselves.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install -r requirements.txt
```

Use instead:
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix safety
Safe where the stage is built from the official `python` image of Python 3.8
or later (any variant: `slim`, `alpine`, `bookworm`), or from Debian 11+ or
Ubuntu 20.04+ (tag named): their pip (19.1 or later) builds and installs
exactly as with a cache, into a temporary folder. Unsafe elsewhere: before
19.1, pip without a cache installed source distributions with `setup.py
install` instead of building a wheel (a different installed layout), and
pip 19.0 failed outright on PEP 517 builds with `--no-cache-dir`; the pip
version of an unknown image cannot be read from the file.

The option goes right after `install`. Heredoc bodies, exec-form `RUN`s,
non-POSIX shells and commands dockfix cannot read are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.editing import edit_many
from dockfix.packages import (
    ShellRun,
    external_base,
    image_name_and_tag,
    mounts,
    program,
    shell_runs,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, Word, edited_only
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF043",
    name="pip-no-cache",
    summary="pip install --no-cache-dir",
    safety=Safety.SAFE,
    hadolint="DL3042",
)
_TRUTHY = ("1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES")
_NO_CACHE_IN_RUN = re.compile(r"PIP_NO_CACHE_DIR=(" + "|".join(_TRUTHY) + ")")


def _only_no_cache_dir(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: words == ("--no-cache-dir",))


# What BuildKit must read in the output: only RUN commands change, by `--no-cache-dir`.
POSTCONDITION = keeps_commands(_only_no_cache_dir)


def install_word(cmd: Command) -> Word | None:
    """The `install` word of a pip install, as hadolint recognises one."""
    name = program(cmd)
    words = cmd.words[1:]
    values = [w.value for w in words]
    if name.startswith("pip") and not name.startswith(("pipenv", "pipx")):
        if "install" in values:
            return words[values.index("install")]
    elif name.startswith("python"):
        for i in range(len(values) - 2):
            if values[i : i + 3] == ["-m", "pip", "install"]:
                return words[i + 2]
    return None


def _env_disables_cache(tree: Dockerfile, shell_run: ShellRun) -> bool:
    """An ENV above the RUN (in its stage or the stages it is built FROM) sets
    PIP_NO_CACHE_DIR to a true value."""
    chain = ancestry(stages(tree), shell_run.stage)
    value: str | None = None
    for stage in reversed(chain):
        for node in stage.instructions:
            if node is shell_run.run:
                break
            if node.keyword == "env":
                for pair in node.reading.pairs:
                    if pair.key == "PIP_NO_CACHE_DIR":
                        value = pair.value.strip("'\"")
    return value in _TRUTHY


def _pip_cache_mounted(shell_run: ShellRun) -> bool:
    cache_mounts = [m for m in mounts(shell_run.run) if m["type"] in ("cache", "tmpfs")]
    if any(".cache/pip" in m["target"] for m in cache_mounts):
        return True
    # A cache mount elsewhere that the command points pip at.
    text = shell_run.run.reading.rest
    return bool(cache_mounts) and ("PIP_CACHE_DIR" in text or "--cache-dir" in text)


def modern_pip(image: str | None) -> bool:
    """Whether the image's pip is 19.1 or later (see Fix safety)."""
    if image is None:
        return False
    name, tag = image_name_and_tag(image)
    if name == "python":
        version = re.match(r"(\d+)(?:\.(\d+))?", tag)
        if version is None:
            return not tag or not tag[0].isdigit()  # `latest`, `slim`, `alpine`: current
        major, minor = int(version.group(1)), version.group(2)
        return major > 3 or (major == 3 and (minor is None or int(minor) >= 8))
    if name == "debian":
        return bool(re.match(r"(1[1-9]|bullseye|bookworm|trixie|forky|testing|sid)", tag))
    if name == "ubuntu":
        version = re.match(r"(\d+)\.", tag)
        if version is not None:
            return int(version.group(1)) >= 20
        return bool(re.match(r"(focal|jammy|noble|oracular|plucky|latest|rolling)", tag))
    return False


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for shell_run in shell_runs(tree):
        installs = [
            (cmd, word)
            for cmd in shell_run.commands
            if (word := install_word(cmd)) is not None and "--no-cache-dir" not in cmd.args
        ]
        if not installs:
            continue
        run = shell_run.run
        if _NO_CACHE_IN_RUN.search(run.reading.rest) or _pip_cache_mounted(shell_run):
            continue
        if _env_disables_cache(tree, shell_run):
            continue
        message = "pip install without --no-cache-dir keeps its downloads in the image"
        own_cache = [a for c, _ in installs for a in c.args if a.split("=", 1)[0] == "--cache-dir"]
        if own_cache:
            yield Finding(RULE, run, f"{message} (not fixed: it chooses its own --cache-dir)")
            continue
        edits = [shell_run.after_word(word, "--no-cache-dir") for _, word in installs]
        safe = modern_pip(external_base(tree, shell_run.stage))
        yield Finding(
            RULE,
            run,
            message,
            Fix(
                (Edit((run,), (edit_many(run, edits),)),),
                Safety.SAFE if safe else Safety.UNSAFE,
                "Add --no-cache-dir",
                postcondition=POSTCONDITION,
            ),
        )
