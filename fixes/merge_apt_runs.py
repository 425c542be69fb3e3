"""## What it does
Merges consecutive `RUN`s of a stage that only install Debian or Ubuntu
packages into one `RUN`: a single `apt-get update` first, then the installs
(and other `apt-get` commands) in order, and the package lists removed once
at the end, one command per line in the file's layout:

```dockerfile
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl \\
    && apt-get install -y --no-install-recommends git \\
    && rm -rf /var/lib/apt/lists/*
```

A `RUN` takes part only when all it does is `apt-get` (`update`, `install`,
`upgrade`, `remove`, `purge`, `autoremove`, `clean`, …) and `rm`, joined by
`&&` (a `DEBIAN_FRONTEND=…` prefix allowed), so that no shell state (`cd`,
`export`, `set`, …) could pass from one into the next. The `RUN`s must have
the same flags (mounts, network, security), no heredocs, and only comments
or blank lines between them, none of them a commented-out instruction
(`# RUN apt-get install …`: uncommented inside the merged `RUN`, it would
put `RUN` into a shell command).

## Why is this bad?
Each such `RUN` downloads the package lists again (tens of megabytes, and
time) and is a layer of its own; a lists removal in one `RUN` does not remove
what an earlier layer keeps.

## Example
```dockerfile
FROM debian:bookworm
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
```

Use instead:
```dockerfile
FROM debian:bookworm
RUN apt-get update \\
    && apt-get install -y curl \\
    && apt-get install -y git \\
    && rm -rf /var/lib/apt/lists/*
```

## Fix safety
Unsafe: the layers and the build cache change (a change to one install now
reruns the others). The installs are the same, in the same order: a later
`apt-get update` only refreshes lists a few seconds old, so it goes when an
earlier `RUN` of the group updated; an `rm` of the lists between the
installs goes (the last `RUN`'s stays at the end). Nothing that could
change the package sources runs between them: the fix does not merge past
the install of a local `.deb` or path, of `apt-transport-https`,
`ca-certificates`, `gnupg`, `software-properties-common` or a keyring
package, after which a new update could see more than the first.

Comments between the `RUN`s stay, as comment lines inside the merged one
(which BuildKit skips); blank lines between them go. A suppression comment
above any of the `RUN`s stops the merge (it would come to cover the others).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dockfix.editing import with_code
from dockfix.packages import first_word, posix_shell, program
from dockfix.reading import commented_out
from dockfix.rewrites import (
    RUN_COMMAND,
    RUN_CWD,
    RUN_ENV,
    RUN_FLAGS,
    RUN_HEREDOCS,
    RUN_USER,
    Step,
    rewrites,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.shell import Command, commands, has_comment, tokens
from dockfix.stages import Stage, stages
from dockfix.style import Style
from dockfix.suppressions import is_pragma
from dockfix.tree import Blank, Comment, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF048",
    name="merge-apt-runs",
    summary="consecutive apt-get install RUNs: one update, the installs, one lists removal",
    safety=Safety.UNSAFE,
    hadolint="DL3059",
)
TRIGGERS = ("apt",)  # one occurs in every file it reports on
LISTS = "/var/lib/apt/lists"
_APT_SUBCOMMANDS = (
    "update",
    "install",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "remove",
    "purge",
    "autoremove",
    "clean",
    "autoclean",
)
# Packages after whose install an `apt-get update` may see more than before.
_SOURCES = re.compile(
    r"apt-transport-https|ca-certificates|gnupg.*|software-properties-common|.*keyring.*"
)


def _kind(cmd: Command) -> str | None:
    """ "update", "install", "lists" (an rm of the lists only), "apt" (another
    apt-get command), "rm" (another rm), or None (anything else)."""
    name = program(cmd)
    if name == "apt-get":
        sub = first_word(cmd, _APT_SUBCOMMANDS)
        if sub is None:
            return None
        if sub.value == "install":
            return "install"
        return "update" if sub.value == "update" else "apt"
    if name == "rm":
        paths = [a for a in cmd.args if not a.startswith("-")]
        if paths and all(p.rstrip("/*") == LISTS for p in paths):
            return "lists"
        return "rm"
    return None


def _changes_sources(cmd: Command) -> bool:
    sub = first_word(cmd, ("install",))
    assert sub is not None
    packages = [w.value for w in cmd.words[cmd.words.index(sub) + 1 :]]
    return any(
        "/" in p or p.endswith(".deb") or _SOURCES.fullmatch(p.split("=")[0])
        for p in packages
        if not p.startswith("-")
    )


_FIRST_PREFIX = re.compile(r"\s*(?:DEBIAN_FRONTEND=\S+\s+)*")
_JOINT_PREFIX = re.compile(r"\s*&&\s*(?:DEBIAN_FRONTEND=\S+\s+)*")


def _apt_only(script: str) -> tuple[Command, ...] | None:
    """The commands of a RUN that only runs apt-get and rm, joined by `&&`."""
    found = tokens(script)
    cmds = commands(script)
    if not found or not cmds or has_comment(script):
        return None
    if any(t in ("||", ";", ";;", "|", "&", "(", ")", "\n") for t in found):
        return None
    if any(t in ("if", "then", "for", "while", "until", "case", "{", "}", "!") for t in found):
        return None
    kinds = [_kind(c) for c in cmds]
    if None in kinds or "install" not in kinds:
        return None
    # Between the commands only `&&` and DEBIAN_FRONTEND=… prefixes: an
    # assignment of its own (`deps=$(…) && apt-get install $deps`), which the
    # command list leaves out, is shell state the next RUN would see.
    end = 0
    for n, cmd in enumerate(cmds):
        joint = _FIRST_PREFIX if n == 0 else _JOINT_PREFIX
        if not joint.fullmatch(script, end, cmd.start):
            return None
        end = cmd.end
    return cmds if not script[end:].strip() else None


def kept(scripts: Sequence[str]) -> list[list[int]] | None:
    """For each script, the indexes of its commands the merge keeps (in order),
    or None when the scripts cannot be merged."""
    result: list[list[int]] = []
    updated = False
    for n, script in enumerate(scripts):
        cmds = _apt_only(script)
        if cmds is None:
            return None
        keep: list[int] = []
        for i, cmd in enumerate(cmds):
            kind = _kind(cmd)
            if kind == "update" and n > 0 and updated:
                continue
            if kind == "lists" and n < len(scripts) - 1:
                continue
            keep.append(i)
        if any(_kind(c) == "update" for c in cmds):
            updated = True
        if n < len(scripts) - 1 and any(
            _kind(c) == "install" and _changes_sources(c) for c in cmds
        ):
            return None
        result.append(keep)
    return result


def merged_tokens(scripts: Sequence[str]) -> tuple[str, ...] | None:
    """What the merged RUN's command reads as: the kept commands joined by `&&`."""
    keep = kept(scripts)
    if keep is None:
        return None
    out: list[str] = []
    for script, indexes in zip(scripts, keep, strict=True):
        words = tokens(script) or ()
        segments: list[list[str]] = [[]]
        for word in words:
            if word == "&&":
                segments.append([])
            else:
                segments[-1].append(word)
        for i in indexes:
            if out:
                out.append("&&")
            out.extend(segments[i])
    return tuple(out)


def apt_runs_merged(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """Consecutive RUN steps alike in all but their command (shell, environment,
    working directory, user, flags; no heredocs), merged into one whose
    command reads as `merged_tokens` of theirs."""
    if j >= len(new) or new[j][0] != "run" or new[j][RUN_HEREDOCS]:
        return None
    merged = new[j]
    command = merged[RUN_COMMAND]
    if not isinstance(command, tuple) or not command or not isinstance(command[-1], str):
        return None
    same = (merged[RUN_ENV], merged[RUN_CWD], merged[RUN_USER], merged[RUN_FLAGS])
    scripts: list[str] = []
    k = i
    while k < len(old) and old[k][0] == "run" and not old[k][RUN_HEREDOCS]:
        cmd = old[k][RUN_COMMAND]
        if not isinstance(cmd, tuple) or cmd[:-1] != command[:-1]:
            break
        if (old[k][RUN_ENV], old[k][RUN_CWD], old[k][RUN_USER], old[k][RUN_FLAGS]) != same:
            break
        scripts.append(str(cmd[-1]))
        k += 1
    target = tokens(command[-1])
    while len(scripts) >= 2:
        if merged_tokens(scripts) == target:
            return (len(scripts), 1)
        scripts.pop()
    return None


# What BuildKit must read in the output: the RUN steps of a group become one
# whose command is theirs, less the repeated updates and lists removals.
POSTCONDITION = rewrites(apt_runs_merged)


def _between(tree: Dockerfile, a: Instruction, b: Instruction) -> list[Node] | None:
    """The comments and blanks between two RUNs, if that is all there is and
    none is a commented-out instruction."""
    i, j = tree.index(a), tree.index(b)
    nodes = list(tree.items[i + 1 : j])
    if any(isinstance(n, Comment) and commented_out(n.raw) for n in nodes):
        return None
    return nodes if all(isinstance(n, Comment | Blank) for n in nodes) else None


def _pragma_above(tree: Dockerfile, run: Instruction) -> bool:
    index = tree.index(run) - 1
    while index >= 0 and isinstance(tree.items[index], Comment | Blank):
        item = tree.items[index]
        if isinstance(item, Comment) and is_pragma(item):
            return True
        if isinstance(item, Blank):
            return False
        index -= 1
    return False


def _candidate(run: Instruction) -> bool:
    return (
        run.keyword == "run"
        and not run.reading.json
        and not run.heredocs
        and _apt_only(run.reading.rest) is not None
    )


def _groups(tree: Dockerfile, stage: Stage) -> Iterator[list[Instruction]]:
    group: list[Instruction] = []
    for node in stage.instructions:
        joins = (
            _candidate(node)
            and not _pragma_above(tree, node)
            and bool(group)
            and [f.text for f in node.reading.flags] == [f.text for f in group[-1].reading.flags]
            and _between(tree, group[-1], node) is not None
            and kept([r.reading.rest for r in [*group, node]]) is not None
        )
        if joins:
            group.append(node)
            continue
        if len(group) >= 2:
            yield group
        group = [node] if _candidate(node) and not _pragma_above(tree, node) else []
    if len(group) >= 2:
        yield group


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is None or not posix_shell(all_stages, stage):
            continue
        for group in _groups(tree, stage):
            merged = _merge(tree, group)
            if merged is None:
                continue
            yield Finding(
                RULE,
                group[0],
                f"{len(group)} consecutive RUNs install packages: one update and one RUN",
                Fix(
                    (merged,),
                    Safety.UNSAFE,
                    f"Merge {len(group)} apt-get RUNs",
                    postcondition=POSTCONDITION,
                ),
            )


def _segment(run: Instruction, cmds: Sequence[Command], i: int) -> str:
    """The source text of command `i` of the RUN (its prefix included), as written."""
    script = run.reading.rest
    base = run.reading.rest_span.start
    start = 0 if i == 0 else script.index("&&", cmds[i - 1].end) + 2
    while script[start] in " \t":
        start += 1
    a, b = run.raw_span(base + start, base + cmds[i].end)
    return run.code[a:b]


def _merge(tree: Dockerfile, group: list[Instruction]) -> Edit | None:
    keep = kept([r.reading.rest for r in group])
    if keep is None:
        return None
    style = tree.style
    pieces: list[tuple[list[str], str]] = []  # comment lines before, command text
    pending: list[str] = []
    for n, (run, indexes) in enumerate(zip(group, keep, strict=True)):
        if n:
            between = _between(tree, group[n - 1], run) or []
            pending += [c.text.strip() for c in between if isinstance(c, Comment)]
        cmds = commands(run.reading.rest) or ()
        for i in indexes:
            pieces.append((pending, _segment(run, cmds, i)))
            pending = []
    first = group[0]
    head_end = first.raw_span(first.reading.rest_span.start, first.reading.rest_span.start)[0]
    code = first.code[:head_end] + _join(style, pieces) + style.newline
    try:
        new = with_code(first, code)
    except Exception:
        return None
    old = tree.items[tree.index(first) : tree.index(group[-1]) + 1]
    return Edit(tuple(old), (new,))


def _join(style: Style, pieces: list[tuple[list[str], str]]) -> str:
    """Commands joined by `&&`, one per line in the file's layout, with the
    comment lines that came before a command's RUN above it."""
    escape, newline, indent = style.escape, style.newline, style.indent
    out = ""
    for n, (comments, text) in enumerate(pieces):
        if n == 0:
            out += text
            continue
        lines = "".join(f"{indent}# {c.lstrip('#').strip()}{newline}" for c in comments)
        if style.and_first:
            out += f" {escape}{newline}{lines}{indent}&& {text}"
        else:
            out += f" && {escape}{newline}{lines}{indent}{text}"
    return out
