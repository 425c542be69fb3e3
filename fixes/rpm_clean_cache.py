"""## What it does
Ends a `RUN` that installs packages with `yum`, `dnf`, `microdnf` or `zypper`
with the matching cache clean: `&& yum clean all`, `&& dnf clean all`,
`&& microdnf clean all`, `&& zypper clean --all` (hadolint DL3032, DL3040,
DL3036), unless the same manager already cleans after its last install in
that `RUN` (`clean …`, `cc`, or `rm -rf` of the cache folder or what is in
it: `/var/cache/yum`, `/var/cache/dnf`, `/var/cache/libdnf5*`; hadolint
counts only `/var/cache/yum/*`), or the cache is a cache or tmpfs mount.

Installs are hadolint's: `yum install`; `dnf`/`microdnf` `install`, `in`,
`upgrade`, `up`, `upgrade-minimal`, `up-min`, `reinstall`, `rei`; `zypper
install`, `in`.

## Why is this bad?
The repository metadata and downloaded packages stay in the layer
(`/var/cache/yum`, `/var/cache/dnf`, `/var/cache/zypp`): tens to hundreds of
megabytes nothing in the image uses. Cleaning in a later `RUN` does not
help: the earlier layer keeps them.

## Example
```dockerfile
FROM rockylinux:9
RUN dnf install -y httpd
```

Use instead:
```dockerfile
FROM rockylinux:9
RUN dnf install -y httpd && dnf clean all
```

## Fix safety
Safe: the clean runs after everything else in the `RUN`, and removes only
the manager's caches. A later `yum`/`dnf`/`zypper` command downloads the
metadata again, as it does whenever it is stale. The fix steps aside, with a
report, where that could fail: a later `RUN` of the stage (or of a stage
built `FROM` it, or an `ONBUILD RUN` trigger of those stages) that uses the
manager with `-C`/`--cacheonly` or without network (`--network=none`); an
install into another root (`--installroot`, `--root`), whose cache the plain
clean would miss; a `RUN` that does not end with its last command (a
trailing `&` or shell comment, or a trailing `;` outside a `set -e` script).

The command is appended in the layout of the `RUN`: on the same line for a
one-line `RUN`, otherwise on a line of its own, indented like the other
command lines, with `&&` at the start or the end of the line as they have
it. A script that starts with `set -e` (`-eux`, `-o errexit`, never turned
off) and separates its commands with `;` gets `; dnf clean all` (and keeps
a final `;`): under errexit a failed last command stops the script before
the clean exactly as `&&` would, as long as that command is not itself in an
`&&`/`||` list, negated, in a pipeline or inside `if`/`for`/braces (errexit
lets those failures through), where `&&` is used instead.

In the script of a `RUN <<EOF` (a heredoc BuildKit hands to the shell as the
script, see `Instruction.script_heredoc`), whose lines run one after the
other whether the one before failed or not, the clean goes on a line of its
own after a `set -e` script that ends with a plain command, else `&& dnf
clean all` after the last command (`packages.heredoc_append`): the script
exits as before. Heredocs run as files (`#!`) or given to a command,
exec-form `RUN`s, non-POSIX shells and commands dockfix cannot read are left
alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.packages import (
    ShellRun,
    appended_piece,
    cache_mount_with,
    cleanup_edit,
    first_word,
    has_flag,
    later_runs,
    program,
    run_commands,
    shell_runs,
    without_network,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, edited_only
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF042",
    name="rpm-clean-cache",
    summary="yum/dnf/microdnf/zypper installs end with `clean all` in the same RUN",
    safety=Safety.SAFE,
    hadolint="DL3032,DL3036,DL3040",
)
TRIGGERS = ("yum", "dnf", "zypper")  # one occurs in every file it reports on

_INSTALLS = {
    "yum": ("install",),
    "dnf": ("install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"),
    "zypper": ("install", "in"),
}
_INSTALLS["microdnf"] = _INSTALLS["dnf"]
_CLEAN_WORDS: dict[str, tuple[str, ...]] = {
    "yum": ("clean",),
    "dnf": ("clean",),
    "microdnf": ("clean",),
}
_CLEAN_WORDS["zypper"] = ("clean", "cc")
_RM = {"yum": "/var/cache/yum/*", "dnf": "/var/cache/libdnf5*", "microdnf": "/var/cache/libdnf5*"}
_CLEAN = {"yum": "clean all", "dnf": "clean all", "microdnf": "clean all"}
_CLEAN["zypper"] = "clean --all"
_CACHES = ("/var/cache/yum", "/var/cache/dnf", "libdnf5", "/var/cache/zypp")
_OTHER_ROOT = ("installroot", "root", "R")


def _appended(old: str, words: tuple[str, ...]) -> bool:
    if len(words) < 4:
        return False
    name = words[1].rsplit("/", 1)[-1]
    return name in _CLEAN and appended_piece(old, words, (words[1], *_CLEAN[name].split()))


def _only_clean_appended(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: _appended(old, words))


# What BuildKit must read in the output: only RUN commands change, by a clean.
POSTCONDITION = keeps_commands(_only_clean_appended)


def _is_install(cmd: Command, name: str) -> bool:
    return program(cmd) == name and first_word(cmd, _INSTALLS[name]) is not None


# The cache folders an `rm -rf` may name to clean each manager's cache (the
# folder itself, or what is in it: hadolint knows only `/var/cache/yum/*`).
_CACHE_PATHS = {
    "yum": ("/var/cache/yum",),
    "dnf": ("/var/cache/dnf", "/var/cache/libdnf5"),
    "microdnf": ("/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"),
}


def _is_clean(cmd: Command, name: str) -> bool:
    if program(cmd) == name:
        return first_word(cmd, _CLEAN_WORDS[name]) is not None
    if cmd.name != "rm" or name not in _RM:
        return False
    options = [a for a in cmd.args if a.startswith("-")]
    if not any("r" in o.lower() and "f" in o for o in options) and not (
        any("r" in o.lower() for o in options) and any("f" in o for o in options)
    ):
        return False
    caches = _CACHE_PATHS.get(name, ())
    return any(
        a.rstrip("/*").rstrip("/") in caches or a == _RM[name]
        for a in cmd.args
        if not a.startswith("-")
    )


def _needs_cache_later(runs: list[Instruction], name: str) -> bool:
    """Whether a later RUN uses the manager without being able to download."""
    for run in runs:
        offline = without_network(run)
        cmds = run_commands(run)
        if cmds is None and run.heredocs:  # another heredoc: by the words in it
            text = run.reading.rest + "".join(h.content for h in run.heredocs)
            if name in text and (offline or re.search(r"\s-C\b|cacheonly", text)):
                return True
            continue
        if cmds is None:
            if name in run.reading.rest:
                return True  # unreadable: assume the worst
            continue
        for cmd in cmds:
            if program(cmd) == name and (offline or has_flag(cmd, "C", "cacheonly")):
                return True
    return False


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for shell_run in shell_runs(tree, heredocs=True):
        run = shell_run.run
        if any(cache_mount_with(run, cache) for cache in _CACHES):
            continue
        missing: list[tuple[str, Command]] = []  # manager, its last install
        for name in _INSTALLS:
            cmds = shell_run.commands
            installs = [i for i, c in enumerate(cmds) if _is_install(c, name)]
            if not installs:
                continue
            cleans = [i for i, c in enumerate(cmds) if _is_clean(c, name)]
            if not cleans or cleans[-1] < installs[-1]:
                missing.append((name, cmds[installs[-1]]))
        if missing:
            yield _finding(tree, shell_run, missing)


def _finding(tree: Dockerfile, shell_run: ShellRun, missing: list[tuple[str, Command]]) -> Finding:
    run = shell_run.run
    names = [name for name, _ in missing]
    message = " and ".join(f"`{n} {_CLEAN[n]}`" for n in names) + " missing after the install"
    text = " && ".join(f"{cmd.words[0].text} {_CLEAN[name]}" for name, cmd in missing)
    edit = cleanup_edit(tree, shell_run, text)
    refusal = None
    if any(has_flag(cmd, *_OTHER_ROOT) for _, cmd in missing):
        refusal = "installs into another root, whose cache a plain clean misses"
    elif edit is None:
        refusal = "the RUN does not end with its last command"
    elif any(_needs_cache_later(later_runs(tree, shell_run.stage, run), n) for n in names):
        refusal = "a later RUN uses the cache without network"
    if refusal is not None or edit is None:
        return Finding(RULE, run, f"{message} (not fixed: {refusal})")
    fixed = shell_run.edited([edit])
    return Finding(
        RULE,
        run,
        message,
        Fix(
            (Edit((run,), (fixed,)),),
            Safety.SAFE,
            "Clean the package cache in the same RUN",
            postcondition=POSTCONDITION,
        ),
    )
