"""## What it does
Gives `apk add` the `--no-cache` option (hadolint DL3019), and removes an
`apk update` of the same `RUN` that only served the installs after it, and
the `-U`/`--update-cache` of a command it gives `--no-cache` (which reads a
fresh index anyway): `apk add --update x` becomes `apk add --no-cache x`.

An `apk update` stays when something after it in the `RUN` other than `apk
add`, `apk del` or `apk upgrade` uses the package index, or when a later
`RUN` of the stage (or of a stage built `FROM` it), or an `ONBUILD RUN`
trigger of those stages (it runs in the images built FROM them), uses the
index without fetching its own, or runs a script dockfix does not read
(`./install.sh`, `sh setup.sh`: it may run `apk add`); `apk upgrade` gets
`--no-cache` too when the update before it goes. A `RUN` with a cache or
tmpfs mount on `/var/cache/apk` is left alone, as hadolint does. `rm -rf
/var/cache/apk/*` is kept (it is harmless).

## Why is this bad?
`apk update` writes the package index (a few megabytes) into
`/var/cache/apk`, and that layer keeps it whatever a later `RUN` removes.
`apk add --no-cache` fetches the index into memory, installs, and leaves
nothing behind, so neither the update nor the removal of the cache is needed.

## Example
```dockerfile
FROM alpine:3.20
RUN apk update && apk add curl && rm -rf /var/cache/apk/*
```

Use instead:
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl && rm -rf /var/cache/apk/*
```

## Fix safety
Safe. `apk add --no-cache` installs from a freshly fetched index, as after an
`apk update` in the same `RUN`; without an update the index is fetched too,
where plain `apk add` would use the one left in the image (none in the
official images, where it fails with "unable to select packages"). What
changes is only that the index is no longer stored in the layer. The update
is removed only when nothing later reads the stored index, and only with the
text between it and the next command (never a comment line).

`apk add --no-network` (which may install from a package cache) gets
`--no-cache` only with `--unsafe-fixes`, and only where no package index or
cache can be there: the stages start from an official image (whose own
Dockerfiles install with `--no-cache`, and keep no `/etc/apk/cache`), and
nothing before the command may have stored one: no `apk` command other than
`add --no-cache`, `del` or `info`, no mention of `/etc/apk`, `/var/cache` or
a repository option in a RUN or its mounts, no COPY or ADD to `/`, `/etc`,
`/var` or those folders, no ONBUILD. Then, with or without `--no-cache`, the
install can only use what is installed (the `so:` dependencies of the
official images' `apk add --no-network --virtual .rundeps $runDeps`), and it
does the same. It is a fix of its own, after the safe ones of the same RUN.

The same holds in the script of a `RUN <<EOF` (a heredoc BuildKit hands to
the shell as the script, see `Instruction.script_heredoc`): `--no-cache` goes
into the heredoc's body, an `apk update` line that only served the installs
after it goes with its line break, every other byte stays. Heredocs run as
files (`#!`) or given to a command, exec-form `RUN`s, non-POSIX shells and
commands dockfix cannot read are left alone.

## Revealed findings
hadolint's `DL3059` (consecutive `RUN`s) leaves out a `RUN` that chains
several commands (`apk update && apk add …`): the author chose to keep it
apart, it reasons. Once the update goes, `RUN apk add --no-cache …` is one
command, and the `RUN`s next to it are reported. They were consecutive
before; `merge-runs` (unsafe) joins them where that is provably the same
build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dockfix.packages import (
    ShellRun,
    cache_mount_with,
    external_base,
    first_word,
    has_flag,
    image_name_and_tag,
    later_runs,
    program,
    run_commands,
    runs_script,
    shell_runs,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, commands, edited_only
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF040",
    name="apk-no-cache",
    summary="apk add --no-cache instead of apk update and a cache to remove",
    safety=Safety.SAFE,
    hadolint="DL3019",
)
TRIGGERS = ("apk",)  # one occurs in every file it reports on

_SUBCOMMANDS = (
    "add",
    "del",
    "fix",
    "update",
    "upgrade",
    "cache",
    "info",
    "list",
    "search",
    "dot",
    "policy",
    "fetch",
    "index",
    "audit",
    "verify",
    "stats",
    "manifest",
)
# Subcommands that do not read a stored index once the update before them goes.
_AFTER_UPDATE = ("add", "del", "upgrade")
_NEEDS_INDEX = frozenset(_SUBCOMMANDS) - {"add", "del", "update", "cache", "index", "verify"}


def _deleted_update(words: tuple[str, ...]) -> bool:
    """An `apk update` with its options and the operator after it."""
    return (
        len(words) >= 3
        and words[0].rsplit("/", 1)[-1] == "apk"
        and "update" in words
        and words[-1] in ("&&", ";", "\n")
        and not any(w in ("&&", "||", ";", "|", "&", "\n") for w in words[:-1])
    )


# `apk add`'s options to refresh the index first, which --no-cache does anyway.
_UPDATE_FLAGS = frozenset({"-U", "--update", "--update-cache"})


def _only_no_cache(old: str, new: str) -> str | None:
    return edited_only(
        old,
        new,
        insert=lambda words: words == ("--no-cache",),
        delete=lambda words: (
            _deleted_update(words) or (len(words) == 1 and words[0] in _UPDATE_FLAGS)
        ),
    )


# What BuildKit must read in the output: only RUN commands change, by
# `--no-cache` added and `apk update`s removed.
POSTCONDITION = keeps_commands(_only_no_cache)


def _subcommand(cmd: Command) -> str | None:
    if program(cmd) != "apk":
        return None
    word = first_word(cmd, _SUBCOMMANDS)
    return word.value if word is not None else None


def _reads_stored_index(cmds: Sequence[Command]) -> bool:
    """Whether these commands read an index stored by an earlier RUN."""
    for cmd in cmds:
        sub = _subcommand(cmd)
        if sub is None:
            continue
        if sub == "update":
            return False  # fetches its own from here on
        if has_flag(cmd, "no-cache", "U", "update-cache", "update"):
            continue
        if sub in _NEEDS_INDEX or sub == "add":
            return True
    return False


def _later_reads_index(runs: list[Instruction]) -> bool:
    for run in runs:
        if cache_mount_with(run, "/var/cache/apk"):
            continue  # the mount hides the stored index
        cmds = run_commands(run)
        if cmds is None:
            if re.search(r"\bapk\b", run.reading.rest) or run.heredocs:
                return True
            continue
        if _reads_stored_index(cmds) or any(runs_script(c) for c in cmds):
            return True
    return False


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for shell_run in shell_runs(tree, heredocs=True):
        run = shell_run.run
        if cache_mount_with(run, "/var/cache/apk"):
            continue
        cmds = shell_run.commands
        subs = [_subcommand(c) for c in cmds]
        if "add" not in subs and "update" not in subs:
            continue
        edits: list[tuple[int, int, str]] = []
        notes: list[str] = []
        removed: set[int] = set()
        if "update" in subs and not _later_reads_index(later_runs(tree, shell_run.stage, run)):
            for i, sub in enumerate(subs):
                if sub == "update":
                    span = _update_span(shell_run, i, subs)
                    if span is not None:
                        edits.append((*span, ""))
                        removed.add(i)
            if removed:
                notes.append("apk update stores the index in the layer")
        offline: list[tuple[int, int, str]] = []
        for i, (cmd, sub) in enumerate(zip(cmds, subs, strict=True)):
            if has_flag(cmd, "no-cache"):
                continue
            before_removed = any(j < i for j in removed)
            if sub == "add" or (sub == "upgrade" and before_removed):
                word = first_word(cmd, (sub,))
                assert word is not None
                if has_flag(cmd, "no-network"):
                    if sub == "add" and _nothing_cached(tree, shell_run, i):
                        offline.append(shell_run.after_word(word, "--no-cache"))
                    continue
                edits.append(shell_run.after_word(word, "--no-cache"))
                notes.append(f"apk {sub} without --no-cache")
                # `--update-cache` says again what --no-cache does (a fresh index);
                # dropped where no `apk update` goes too (one change at a time,
                # which the post-condition can align word for word).
                text = shell_run.script
                for w in cmd.words[1:] if not removed else ():
                    if w.text in _UPDATE_FLAGS and text[w.start - 1] in " \t":
                        start = shell_run.base + w.start - 1
                        edits.append((start, shell_run.base + w.end, ""))
        if not edits and not offline:
            continue
        # The offline installs go in a round of their own: their fix is unsafe.
        safety = Safety.SAFE if edits else Safety.UNSAFE
        if not edits:
            edits, notes = offline, ["apk add --no-network without --no-cache"]
        yield Finding(
            RULE,
            run,
            "; ".join(dict.fromkeys(notes)),
            Fix(
                (Edit((run,), (shell_run.edited(edits),)),),
                safety,
                "Use apk add --no-cache",
                postcondition=POSTCONDITION,
            ),
        )


# What may leave a package index or package cache that `apk add --no-network`
# could install from: a cache folder, the repositories, a new root file system.
_CACHE_PATHS = re.compile(r"/etc/apk|/var/cache|setup-apkcache|--cache-dir|--repositor|-X\b")


def _nothing_cached(tree: Dockerfile, shell_run: ShellRun, index: int) -> bool:
    """Whether no package index or package cache can be in the file system
    when the `index`th command of `shell_run` runs, so that `apk add
    --no-network` finds its packages among the installed ones only, with or
    without `--no-cache`: the stages' chain starts from an official image
    (`php:8.3-fpm-alpine`: their own Dockerfiles install with `--no-cache`
    and keep no cache folder), and nothing before the command may have
    stored one (an `apk` command other than `add --no-cache`, `del` or
    `info`; a cache mount or any mention of `/etc/apk` or `/var/cache`; a
    COPY or ADD to `/`, `/etc` or `/var`)."""
    image = external_base(tree, shell_run.stage)
    if image is None or "/" in image_name_and_tag(image)[0]:
        return False
    chain = ancestry(stages(tree), shell_run.stage)
    own = list(shell_run.stage.instructions)
    before = [
        *(n for s in reversed(chain[1:]) for n in s.instructions),
        *own[: next(i for i, n in enumerate(own) if n is shell_run.run)],
    ]
    for node in before:
        if node.keyword in ("copy", "add"):
            target = node.reading.args[-1] if node.reading.args else "/"
            if target.rstrip("/") in ("", "/etc", "/var") or _CACHE_PATHS.search(target):
                return False
        if node.keyword == "onbuild" or (node.keyword == "run" and not _keeps_no_cache(node)):
            return False
    return _commands_keep_no_cache(shell_run.commands[:index]) and not _CACHE_PATHS.search(
        shell_run.script
    )


def _keeps_no_cache(run: Instruction) -> bool:
    text = run.reading.rest if not run.reading.json else " ".join(run.reading.args)
    if _CACHE_PATHS.search(" ".join([text, *(f.text for f in run.reading.flags)])):
        return False
    if not re.search(r"\bapk\b", text):
        return True
    cmds = commands(text) if not run.reading.json and not run.heredocs else None
    return cmds is not None and _commands_keep_no_cache(cmds)


def _commands_keep_no_cache(cmds: Sequence[Command]) -> bool:
    """Whether these commands store no package index nor package cache."""
    for cmd in cmds:
        if program(cmd) != "apk":
            continue
        sub = _subcommand(cmd)
        if sub in ("del", "info") and not has_flag(cmd, "U", "update-cache", "update"):
            continue
        if sub == "add" and has_flag(cmd, "no-cache"):
            continue
        return False
    return True


def _update_span(shell_run: ShellRun, i: int, subs: list[str | None]) -> tuple[int, int] | None:
    """The logical span to delete for the `apk update` at `i`: from the command
    to the next one, or None when it must stay."""
    cmds = shell_run.commands
    cmd = cmds[i]
    if cmd.before not in ("", "&&", ";", "\n") or cmd.after not in ("&&", ";", "\n"):
        return None
    if cmd.args != ["update"] and not all(a.startswith("-") or a == "update" for a in cmd.args):
        return None
    # What the removal serves: the apk commands after it, up to another update.
    following: list[str] = []
    for sub in subs[i + 1 :]:
        if sub == "update":
            break
        if sub is not None:
            following.append(sub)
    if "add" not in following or any(s not in _AFTER_UPDATE for s in following):
        return None
    script = shell_run.script
    # Nothing but blanks and the operator between the previous command and this
    # one (no `VAR=value` prefix, no redirection that would move to the next).
    head = script[: cmd.start].rstrip(" \t")
    if cmd.before and not head.endswith(cmd.before if cmd.before != "\n" else "\n"):
        return None
    if not cmd.before and head:
        return None
    if i + 1 >= len(cmds):
        return None
    # The command, its operator and the blanks after it: what follows (the next
    # command, or a reserved word such as the `if` of `apk update; if [ … ]`) stays.
    after = re.compile(r"[ \t]*(?:&&|;|\n)[ \t\n]*").match(script, cmd.end)
    if after is None:
        return None
    start = shell_run.base + cmd.start
    end = shell_run.base + after.end()
    # Never delete a comment line inside the continuation (or the heredoc).
    if shell_run.heredoc:
        a, b = start, end
    else:
        a, b = shell_run.run.raw_span(start, end)
    if re.search(r"\n[ \t]*#", shell_run.run.code[a:b]):
        return None
    return start, end
