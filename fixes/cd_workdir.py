"""## What it does
Turns a `RUN` that starts by changing folder (`RUN cd /src && make`) into a
`WORKDIR` and the rest of the `RUN`:

```dockerfile
WORKDIR /src
RUN make
WORKDIR /app
```

The last line puts the working directory back where it was (`/app` here),
unless a later `WORKDIR` sets it before anything uses it. A leading
`mkdir -p /src &&` goes too, since `WORKDIR` makes the folder.

## Why is this bad?
A `cd` lasts for one `RUN`, which is easy to forget when the next line
expects to be in the same folder; `WORKDIR` says where commands run, for
every instruction after it, and is what hadolint (DL3003) and Docker's best
practices ask for.

## Example
```dockerfile
WORKDIR /app
RUN cd /tmp/build && ./configure && make install
COPY . .
```

Use instead:
```dockerfile
WORKDIR /app
WORKDIR /tmp/build
RUN ./configure && make install
WORKDIR /app
COPY . .
```

## Fix safety
Unsafe: the layers change (`WORKDIR` is a step of its own), and so does the
build cache. What the commands do is the same when:
- `cd` is the first command and `&&` follows it, so the rest runs only in the
  new folder, which existed when the `RUN` started (BuildKit's `WORKDIR`
  creates a missing folder, with the stage's user as owner, but the build
  only got past `cd` because it was there); with a leading `mkdir -p DIR`
  (or `mkdir DIR`) the folder did not exist and `WORKDIR` makes it as the
  `RUN` did (mode 0755, owned by the stage's user, parents too);
- the folder is a plain path (no variables, `~`, or `-`), absolute or relative
  to a working directory the file sets;
- the working directory is put back after the `RUN` with `WORKDIR` (so it
  must be known: set by a `WORKDIR` of the stage or of the stage it is built
  from), or a later `WORKDIR` with an absolute path replaces it before any
  `RUN`, `COPY`, `ADD` or `VOLUME` uses it;
- it is the only `cd` of the `RUN` (another one would leave hadolint's
  finding), the rest does not read `$OLDPWD`, no mount of the `RUN` covers the
  folder (`WORKDIR` would create it in the image), and no comment line sits
  inside the part removed.
One difference remains: `$PWD` is the physical path when a folder on the
way is a symbolic link (`cd` keeps the logical one). The `WORKDIR` goes above
the comments over the `RUN`, so a suppression comment keeps its instruction.
The post-condition checks that the build is the same but for the new folder
steps and the `RUN` now running in that folder, its command being the old one
without the leading `cd DIR &&` (and `mkdir -p DIR &&`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dockfix.editing import edit
from dockfix.rewrites import RUN_COMMAND, RUN_CWD, RUN_USER, Step, rewrites
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import Point, go_clean, points
from dockfix.shell import Command, commands
from dockfix.stages import Stage, ancestry, stages
from dockfix.suppressions import has_pragma_above
from dockfix.tree import Comment, Dockerfile, Instruction, Line, Node
from dockfix.words import is_unknown

RULE = Rule(
    code="DF052",
    name="cd-workdir",
    summary="RUN cd DIR && …: WORKDIR DIR, then the rest of the RUN",
    safety=Safety.UNSAFE,
    hadolint="DL3003",
)
_PLAIN = re.compile(r"[A-Za-z0-9_./@+:,=%-]+\Z")
# Instructions that read or write nothing through the working directory while
# the build runs (the image's working directory at the end is checked apart).
_CONFIG_ONLY = frozenset(
    {
        "env",
        "arg",
        "label",
        "expose",
        "user",
        "cmd",
        "entrypoint",
        "healthcheck",
        "stopsignal",
        "shell",
        "maintainer",
        "onbuild",
    }
)
_POSIX = ("sh", "bash", "dash", "ash", "zsh")


@dataclass(frozen=True)
class _Prefix:
    """The leading `[mkdir [-p] DIR &&] cd DIR &&` of a RUN's command."""

    folder: str  # as written (unquoted)
    mkdir: bool
    end: int  # where the rest of the command starts, in the command text


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    at = points(tree)
    for stage in all_stages:
        if stage.from_ is None or not _posix(all_stages, stage):
            continue
        for n, node in enumerate(stage.instructions):
            if node.keyword != "run" or node.reading.json or node.heredocs:
                continue
            finding = _check(tree, stage, n, at, context)
            if finding is not None:
                yield finding


def _posix(all_stages: list[Stage], stage: Stage) -> bool:
    for link in ancestry(all_stages, stage):
        if link.shell is not None:
            return link.shell[0].rsplit("/", 1)[-1] in _POSIX
    return True


def _unquote(word: str) -> str | None:
    """A word's value when it is plain (quotes around plain text allowed)."""
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
        word = word[1:-1]
    return word if _PLAIN.match(word) and not word.startswith("-") else None


def prefix(text: str) -> _Prefix | None:
    """The leading `cd` (and `mkdir` of the same folder) of a command, if it
    is the only `cd` and `&&` follows it."""
    cmds = commands(text)
    if not cmds or len(cmds) < 2 or cmds[0].start != 0:
        return None
    if sum(1 for c in cmds if c.name == "cd") != 1:
        return None
    first = 0
    mkdir = False
    if cmds[0].name == "mkdir":
        args = [w.text for w in cmds[0].words[1:]]
        options = [a for a in args if a.startswith("-")]
        if len(args) - len(options) != 1 or any(o not in ("-p", "--parents") for o in options):
            return None
        if cmds[0].after != "&&":
            return None
        mkdir, first = True, 1
    cd = cmds[first]
    if cd.name != "cd" or cd.after != "&&" or len(cd.words) != 2 or first + 1 >= len(cmds):
        return None
    if mkdir and text[_after_and(text, cmds[0]) or 0 : cd.start].strip():
        return None  # `mkdir x && FOO=1 cd x`: not a plain cd
    folder = _unquote(cd.words[1].text)
    if folder is None:
        return None
    if mkdir and _unquote(cmds[0].words[-1].text) != folder:
        return None
    rest = _after_and(text, cd)
    if rest is None or "OLDPWD" in text[rest:]:
        return None
    return _Prefix(folder, mkdir, rest)


def _after_and(text: str, cmd: Command) -> int | None:
    """Where the command after `cmd && ` starts."""
    at = text.find("&&", cmd.end)
    if at < 0 or text[cmd.end : at].strip():
        return None
    at += 2
    while at < len(text) and text[at] in " \t":
        at += 1
    return at if at < len(text) else None


@dataclass(frozen=True)
class _Plan:
    target: str  # the folder the WORKDIR sets
    fixed: Instruction  # the RUN without its leading cd


def _plan(stage: Stage, n: int, at: dict[int, Point]) -> _Plan | str | None:
    """How the RUN at `n` becomes WORKDIR + RUN (without the restore), why it
    cannot (a reason, or None for no particular one)."""
    run = stage.instructions[n]
    point = at.get(id(run))
    text = run.reading.rest
    found = prefix(text)
    if found is None or point is None:
        return None
    cwd = point.workdir
    if not found.folder.startswith("/") and not _known(cwd):
        return "the folder it is relative to is not known"
    target = go_clean(found.folder if found.folder.startswith("/") else f"{cwd}/{found.folder}")
    if _mounted(run, target):
        return f"a mount of the RUN covers {target}"
    rest_start = run.reading.rest_span.start
    a, b = run.raw_span(rest_start, rest_start + found.end)
    if any(not isinstance(p, Line) for p in _parts_between(run, a, b)):
        return "a comment line sits in the part to remove"
    return _Plan(target, edit(run, rest_start, rest_start + found.end, ""))


def _known(cwd: str) -> bool:
    return bool(cwd) and not is_unknown(cwd) and cwd.startswith("/")


def _uses_cd(run: Instruction) -> bool:
    text = run.reading.rest
    cmds = commands(text)
    if cmds is None:
        return bool(re.search(r"(^|[;&|(\s])cd(\s|$)", text))
    return any(c.name == "cd" for c in cmds)


def _check(
    tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point], context: Context
) -> Finding | None:
    run = stage.instructions[n]
    if not _uses_cd(run):
        return None
    message = "RUN changes folder with cd: use WORKDIR"
    plan = _plan(stage, n, at)
    if not isinstance(plan, _Plan):
        why = plan or "only a RUN that starts with `cd DIR &&`, its only cd, is rewritten"
        return Finding(RULE, run, f"{message} ({why})")
    cwd = at[id(run)].workdir
    restore = _needs_restore(tree, stage, n, at)
    if restore and not (_known(cwd) and _PLAIN.match(cwd)):
        return Finding(RULE, run, f"{message} (the working directory to return to is not known)")
    style = tree.style
    comments = _comments_above(tree, run)
    new: tuple[Node, ...] = (style.instruction("workdir", plan.target), *comments, plan.fixed)
    if restore:
        new = (*new, style.instruction("workdir", cwd))
    # One edit, so that it applies whole or not at all.
    change = Edit((*comments, run), new)
    return Finding(
        RULE,
        run,
        message,
        Fix((change,), Safety.UNSAFE, f"Use WORKDIR {plan.target}", postcondition=POSTCONDITION),
    )


def _parts_between(run: Instruction, a: int, b: int) -> list[Line | Comment | object]:
    out: list[Line | Comment | object] = []
    offset = 0
    for part in run.parts:
        end = offset + len(part.raw)
        if offset < b and end > a:
            out.append(part)
        offset = end
    return out


def _mounted(run: Instruction, target: str) -> bool:
    for flag in run.reading.flags:
        if flag.name != "mount" or not flag.value:
            continue
        for item in flag.value.split(","):
            key, _, value = item.partition("=")
            if key.strip().lower() in ("target", "dst", "destination"):
                mount = go_clean(value if value.startswith("/") else "/" + value)
                if target == mount or target.startswith(mount.rstrip("/") + "/"):
                    return True
    return False


def _needs_restore(tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point]) -> bool:
    """Whether the working directory must be put back after the RUN: unless
    an absolute WORKDIR replaces it before anything uses it, or the next thing
    that uses it is a RUN this fix turns into a WORKDIR and a RUN too."""
    for k in range(n + 1, len(stage.instructions)):
        node = stage.instructions[k]
        if node.keyword == "workdir":
            word = node.reading.args[0] if node.reading.args else ""
            return not (word.startswith("/") and _PLAIN.match(word))
        if node.keyword == "run" and not node.reading.json and not node.heredocs:
            return not _fixed(tree, stage, k, at) or has_pragma_above(tree, node)
        if node.keyword not in _CONFIG_ONLY:
            return True
    return True  # the image's working directory


def _fixed(tree: Dockerfile, stage: Stage, k: int, at: dict[int, Point]) -> bool:
    """Whether the RUN at `k` gets a fix (its restore, if it needs one, possible)."""
    if not isinstance(_plan(stage, k, at), _Plan):
        return False
    if not _needs_restore(tree, stage, k, at):
        return True
    cwd = at[id(stage.instructions[k])].workdir
    return _known(cwd) and bool(_PLAIN.match(cwd))


def _comments_above(tree: Dockerfile, run: Instruction) -> tuple[Node, ...]:
    """The comment lines directly over `run` (they stay with it)."""
    index = tree.index(run)
    start = index
    while start > 0 and isinstance(tree.items[start - 1], Comment):
        start -= 1
    return tree.items[start:index]


# --- post-condition ---------------------------------------------------------------

_CD = re.compile(
    r"(?:mkdir[ \t]+(?:(?:-p|--parents)[ \t]+)?(?P<made>\S+)[ \t]*&&[ \t]*)?"
    r"cd[ \t]+(?P<folder>\S+)[ \t]*&&[ \t]*"
)


def cd_becomes_workdir(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A `RUN cd DIR && rest` step that became a `WORKDIR DIR` folder step,
    the `RUN rest` in DIR and, if there is one, the folder step putting the
    working directory back."""
    if i >= len(old) or j + 1 >= len(new):
        return None
    run, made, moved = old[i], new[j], new[j + 1]
    if run[0] != "run" or made[0] != "mkdir" or moved[0] != "run":
        return None
    cwd, user = run[RUN_CWD], run[RUN_USER]
    folder = made[1]
    if made[2] != user or not isinstance(folder, str) or not isinstance(cwd, str):
        return None
    expected = list(run)
    old_command, new_command = run[RUN_COMMAND], moved[RUN_COMMAND]
    if not isinstance(old_command, tuple) or not isinstance(new_command, tuple):
        return None
    if old_command[:-1] != new_command[:-1]:
        return None
    text, rest = old_command[-1], new_command[-1]
    if not isinstance(text, str) or not isinstance(rest, str):
        return None
    match = _CD.match(text)
    if match is None or text[match.end() :] != rest:
        return None
    written = _unquote(match["folder"])
    if written is None:
        return None
    if match["made"] is not None and _unquote(match["made"]) != written:
        return None
    if not written.startswith("/") and (is_unknown(cwd) or not cwd.startswith("/")):
        return None
    if go_clean(written if written.startswith("/") else f"{cwd}/{written}") != folder:
        return None
    expected[RUN_COMMAND] = new_command
    expected[RUN_CWD] = folder
    if tuple(expected) != moved:
        return None
    if j + 2 < len(new) and new[j + 2] == ("mkdir", cwd, user):
        return (1, 3)
    return (1, 2)


POSTCONDITION = rewrites(cd_becomes_workdir)
