"""## What it does
Gives `pip install` the `--no-cache-dir` option (hadolint DL3042): `pip`,
`pip3`, `pip3.12` and `python -m pip` / `python3 -m pip`. It leaves alone
`pipx` and `pipenv`, `uv pip`, `pip download` and `pip wheel` (which write
what they fetch where they are told), and a `RUN`:
- with a cache or tmpfs mount on pip's cache (a target holding `.cache/pip`,
  or the `.cache` folder that holds it, such as `/root/.cache`), or any
  cache mount in a file that points pip elsewhere (`PIP_CACHE_DIR` in the
  `RUN` or an `ENV`, `--cache-dir`);
- where `PIP_NO_CACHE_DIR` is set to a true value (`1`, `true`, `on`, `yes`)
  in the `RUN` itself or by an `ENV` of the stage (or of a stage it is built
  `FROM`) above it;
- whose install chooses its own `--cache-dir` (reported, not fixed).

An install that already says `--no-cache` (or `--no-cache-d`, `--no-cache-di`),
prefixes pip's option parser reads as `--no-cache-dir`, gets the option
spelled out: hadolint does not know the abbreviation, nor may a reader.

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
Safe where the pip is known to be 19.1 or later: the stage is built from the
official `python` image of Python 3.8 or later (any variant: `slim`,
`alpine`, `bookworm`), or from Debian 11+ or Ubuntu 20.04+ (tag named), or
the pip was upgraded before, in the same `RUN` or an earlier one of the stage
(`pip install -U pip`, not pinned older; `python get-pip.py`, also piped
from `curl`). Such a pip builds and installs exactly as with a cache, into a
temporary folder. Unsafe elsewhere: before 19.1, pip without a cache
installed source distributions with `setup.py install` instead of building a
wheel (a different installed layout), and pip 19.0 failed outright on
PEP 517 builds with `--no-cache-dir`; the pip of an unknown image cannot be
read from the file. On images whose pip predates the option itself (pip 1.5
on Ubuntu 14.04 and Debian 8, CentOS 6), it is reported and not fixed: the
option would fail the build. A `RUN` that upgrades pip and then installs gets
the option on the later installs as a safe fix, on the upgrade as an unsafe
one.

Spelling out an abbreviation is safe: pip reads both as the same option,
and a build that passed with the abbreviation ran a pip that knows it.

The option goes right after `install`, also in the script of a `RUN <<EOF`
(a heredoc BuildKit hands to the shell as the script; only the option is
added to its body). Heredocs run as files (`#!`) or given to a command,
exec-form `RUN`s, non-POSIX shells and commands dockfix cannot read are left
alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

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
from dockfix.shell import Command, Word, commands, edited_only
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF043",
    name="pip-no-cache",
    summary="pip install --no-cache-dir",
    safety=Safety.SAFE,
    hadolint="DL3042",
)
TRIGGERS = ("pip",)  # one occurs in every file it reports on
_TRUTHY = ("1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES")
_NO_CACHE_IN_RUN = re.compile(r"PIP_NO_CACHE_DIR=(" + "|".join(_TRUTHY) + ")")


def _only_no_cache_dir(old: str, new: str) -> str | None:
    return edited_only(_spelled(old), new, insert=lambda words: words == ("--no-cache-dir",))


def _spelled(script: str) -> str:
    """`script` with the abbreviations of `--no-cache-dir` that pip installs
    take spelled out (the same option; not another program's `--no-cache`,
    such as `apk add --no-cache`)."""
    spans = [(w.start, w.end) for w in _abbreviations(commands(script) or ())]
    for start, end in reversed(spans):
        script = script[:start] + "--no-cache-dir" + script[end:]
    return script


def _abbreviations(cmds: Iterable[Command]) -> list[Word]:
    """The words of pip installs that abbreviate `--no-cache-dir`."""
    return [
        word
        for cmd in cmds
        if install_word(cmd) is not None
        for word in cmd.words[1:]
        if word.text in _NO_CACHE_DIR and word.text != "--no-cache-dir"
    ]


# What BuildKit must read in the output: only RUN commands change, by
# `--no-cache-dir` added or an abbreviation of it spelled out.
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


class _Before:
    """What the instructions before each one of a tree leave in force, found
    in one pass over each stage (a check looks it up for every RUN): the value
    of PIP_NO_CACHE_DIR the last ENV before gave (None: none), and the pips
    the RUNs before made modern (`_modernised`); then the same for each whole
    stage."""

    def __init__(self, tree: Dockerfile) -> None:
        self.stages = stages(tree)
        self.env: dict[int, str | None] = {}  # by id(node)
        self.modern: dict[int, frozenset[str]] = {}
        self.stage_env: dict[int, str | None] = {}  # by stage index
        self.stage_modern: dict[int, frozenset[str]] = {}
        for stage in self.stages:
            value: str | None = None
            found: set[str] = set()
            for node in stage.instructions:
                self.env[id(node)] = value
                self.modern[id(node)] = frozenset(found)
                if node.keyword == "env":
                    for pair in node.reading.pairs:
                        if pair.key == "PIP_NO_CACHE_DIR":
                            value = pair.value.strip("'\"")
                elif node.keyword == "run" and not node.reading.json:
                    cmds = commands(node.reading.rest) or ()
                    for previous, cmd in zip((None, *cmds), cmds, strict=False):
                        found |= _modernised(cmd, previous)
            self.stage_env[stage.index] = value
            self.stage_modern[stage.index] = frozenset(found)


def _env_disables_cache(before: _Before, shell_run: ShellRun) -> bool:
    """An ENV above the RUN (in its stage or the stages it is built FROM) sets
    PIP_NO_CACHE_DIR to a true value: the last one, read from the RUN back up
    its stage, then each stage it is built FROM."""
    value = before.env[id(shell_run.run)]
    for stage in ancestry(before.stages, shell_run.stage)[1:]:
        if value is not None:
            break
        value = before.stage_env[stage.index]
    return value in _TRUTHY


def _pip_cache_mounted(shell_run: ShellRun, tree_text: str) -> bool:
    cache_mounts = [m for m in mounts(shell_run.run) if m["type"] in ("cache", "tmpfs")]
    # On pip's cache, or on the `.cache` folder that holds it (`/root/.cache`).
    if any(
        ".cache/pip" in m["target"] or m["target"].rstrip("/").endswith("/.cache")
        for m in cache_mounts
    ):
        return True
    # A cache mount elsewhere that the command, or an ENV of the file, points pip at.
    text = shell_run.script
    return bool(cache_mounts) and (
        "PIP_CACHE_DIR" in text or "--cache-dir" in text or "PIP_CACHE_DIR" in tree_text
    )


def pip_age(image: str | None) -> str:
    """ "modern" (pip 19.1 or later), "ancient" (before pip 6, which has no
    `--no-cache-dir`) or "unknown", for the pip an image ships (see Fix safety)."""
    if image is None:
        return "unknown"
    name, tag = image_name_and_tag(image)
    if name == "python":
        version = re.match(r"(\d+)(?:\.(\d+))?", tag)
        if version is None:
            return "modern" if not tag or not tag[0].isdigit() else "unknown"
        major, minor = int(version.group(1)), version.group(2)
        modern = major > 3 or (major == 3 and (minor is None or int(minor) >= 8))
        return "modern" if modern else "unknown"
    if name == "debian":
        if re.match(r"(1[1-9]|bullseye|bookworm|trixie|forky|testing|sid)", tag):
            return "modern"
        return (
            "ancient"
            if re.match(r"([5-8]\b|[5-8]\.|lenny|squeeze|wheezy|jessie)", tag)
            else "unknown"
        )
    if name == "ubuntu":
        version = re.match(r"(\d+)\.", tag)
        if version is not None:
            major = int(version.group(1))
            return "modern" if major >= 20 else "ancient" if major <= 14 else "unknown"
        if re.match(r"(focal|jammy|noble|oracular|plucky|latest|rolling)", tag):
            return "modern"
        return "ancient" if re.match(r"(precise|trusty)", tag) else "unknown"
    if name in ("centos", "centos/centos") and re.match(r"[56](\b|\.)", tag):
        return "ancient"
    return "unknown"


def _identity(cmd: Command) -> str | None:
    """Which pip a command runs, by the Python major version in its name
    (`pip3`, `pip3.12`, `python3 -m pip` -> "3"; `pip`, `python -m pip` -> "")."""
    name = program(cmd)
    match = re.fullmatch(r"(?:pip|python)(\d?)(?:\.\d+)?", name)
    return match.group(1) if match else None


def _modernised(cmd: Command, previous: Command | None) -> set[str]:
    """The pips a command leaves at 19.1 or later: `pip install -U pip` (not
    pinned to an older version) and running `get-pip.py` (also piped in)."""
    name = program(cmd)
    identity = _identity(cmd)
    if identity is None:
        return set()
    piped = cmd.before == "|" and previous is not None
    script = previous.args if piped and previous is not None else cmd.args
    if name.startswith("python") and any(a.endswith("get-pip.py") for a in script):
        return {identity, ""}
    word = install_word(cmd)
    if word is None or not ({"-U", "--upgrade"} & set(cmd.args)):
        return set()
    for arg in [w.value for w in cmd.words[cmd.words.index(word) + 1 :]]:
        spec = re.fullmatch(r"pip(?:(==|>=|~=)(\d+)(?:\.(\d+))?.*)?", arg)
        if spec is None:
            continue
        if spec.group(1) is None or spec.group(1) == ">=":
            return {identity}
        major, minor = int(spec.group(2)), int(spec.group(3) or 0)
        return {identity} if (major, minor) >= (19, 1) else set()
    return set()


def _modern_before(before: _Before, shell_run: ShellRun) -> set[str]:
    """The pips made modern by the RUNs before this one, in its stage and the
    stages it is built FROM."""
    found = set(before.modern[id(shell_run.run)])
    for stage in ancestry(before.stages, shell_run.stage)[1:]:
        found |= before.stage_modern[stage.index]
    return found


def _spelled_out(shell_run: ShellRun, words: list[Word]) -> Finding:
    """`--no-cache` (a prefix pip's option parser reads as `--no-cache-dir`)
    written in full: the same option, which hadolint and readers know."""
    edits = [(shell_run.base + w.start, shell_run.base + w.end, "--no-cache-dir") for w in words]
    return Finding(
        RULE,
        shell_run.run,
        f"pip install {words[0].text}: pip reads it as --no-cache-dir, hadolint does not",
        Fix(
            (Edit((shell_run.run,), (shell_run.edited(edits),)),),
            Safety.SAFE,
            "Spell out --no-cache-dir",
            postcondition=POSTCONDITION,
        ),
    )


# `--no-cache-dir` and the prefixes pip's option parser takes for it (no
# other pip option starts with `--no-cache`).
_NO_CACHE_DIR = frozenset(
    {"--no-cache-dir", "--no-cache-di", "--no-cache-d", "--no-cache-", "--no-cache"}
)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    before: _Before | None = None  # made for the first RUN that needs it
    for shell_run in shell_runs(tree, heredocs=True):
        abbreviated = _abbreviations(shell_run.commands)
        if abbreviated:
            yield _spelled_out(shell_run, abbreviated)
        installs = [
            (cmd, word)
            for cmd in shell_run.commands
            if (word := install_word(cmd)) is not None
            and not any(a in _NO_CACHE_DIR for a in cmd.args)
        ]
        if not installs:
            continue
        run = shell_run.run
        if _NO_CACHE_IN_RUN.search(shell_run.script) or _pip_cache_mounted(shell_run, tree.code):
            continue
        if before is None:
            before = _Before(tree)
        if _env_disables_cache(before, shell_run):
            continue
        message = "pip install without --no-cache-dir keeps its downloads in the image"
        own_cache = [a for c, _ in installs for a in c.args if a.split("=", 1)[0] == "--cache-dir"]
        if own_cache:
            yield Finding(RULE, run, f"{message} (not fixed: it chooses its own --cache-dir)")
            continue
        age = pip_age(external_base(tree, shell_run.stage))
        modern = _modern_before(before, shell_run)
        safe: list[tuple[int, int, str]] = []
        unsafe: list[tuple[int, int, str]] = []
        ancient = False
        for previous, cmd in zip((None, *shell_run.commands), shell_run.commands, strict=False):
            pending = next((w for c, w in installs if c is cmd), None)
            if pending is not None:
                edit = shell_run.after_word(pending, "--no-cache-dir")
                if age == "modern" or _identity(cmd) in modern:
                    safe.append(edit)
                elif age == "ancient":
                    ancient = True
                else:
                    unsafe.append(edit)
            modern |= _modernised(cmd, previous)
        if ancient:
            why = "the image's pip may predate the option; upgrade it first"
            yield Finding(RULE, run, f"{message} (not fixed: {why})")
            continue
        for edits, safety in ((safe, Safety.SAFE), (unsafe, Safety.UNSAFE)):
            if edits:
                yield Finding(
                    RULE,
                    run,
                    message,
                    Fix(
                        (Edit((run,), (shell_run.edited(edits),)),),
                        safety,
                        "Add --no-cache-dir",
                        postcondition=POSTCONDITION,
                    ),
                )
