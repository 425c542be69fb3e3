"""## What it does
Finds a `COPY . <dest>` (or `ADD . <dest>`) followed, in the same stage, by a
dependency install that needs only the project's manifests, and splits the
install: the manifests are copied and the dependencies installed *before* the
full copy; what needs the source (installing the project itself) stays after.

What moves before the copy, and what stays after it:
- `uv sync …`: `COPY pyproject.toml uv.lock ./` and `uv sync … --no-install-project`
  (`--frozen --no-install-workspace` in a workspace); `uv sync …` stays.
- `pip install -r requirements.txt` (also `uv pip`): the requirement files and
  the files they include with `-r`/`-c`, and the install; nothing stays.
- `uv pip install .` / `-e .`: `COPY pyproject.toml ./` and
  `uv pip install -r pyproject.toml`; `uv pip install -e .` stays.
- `pip install .` / `-e .`, when there is a `requirements.txt`: the
  requirement files and `pip install -r requirements.txt`; the project install stays.
- `poetry install`: `COPY pyproject.toml poetry.lock ./` and
  `poetry install --no-root`; `poetry install` stays.
- `npm ci`/`npm install`, `yarn install`, `pnpm install`: `package.json`, the
  lock file and the install; nothing stays (not a global install,
  `npm install -g pm2`, nor one that names its packages: those are tools,
  not the project's dependencies).
- `go mod download` / `go build …`: `COPY go.mod go.sum ./` and
  `go mod download`; `go build …` stays.

## Why is this bad?
Docker caches layers in order. After `COPY . .`, any change to any file of
the project (a typo fixed in a template) invalidates the copy and every step
after it, so all dependencies are downloaded and installed again. Installed
from the manifests alone, they are rebuilt only when the manifests change.

## Example
```dockerfile
WORKDIR /app
COPY . .
RUN uv sync --locked
```

Use instead:
```dockerfile
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-install-project
COPY . .
RUN uv sync --locked
```

and, where a `WORKDIR` after the copy sets where the install runs,
```dockerfile
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
```
becomes
```dockerfile
COPY requirements.txt /app/
WORKDIR /app
RUN pip install -r requirements.txt
COPY . /app
```

## Fix safety
Unsafe: it reorders layers, and the dependency step now runs without the rest
of the source. The fix is offered only when it can be sure that works, and is
otherwise a finding without a fix:
- every manifest it would copy exists in the build context and is not
  excluded by `.dockerignore`. The build context is `--build-context` when
  given, else the folder that holds the Dockerfile's own `COPY`/`ADD`
  sources (its own folder, or the one folder above it that holds them all;
  see "Build context" in the README); when that is unknown (no folder, or
  several, hold them), the finding says so and has no fix;
- the copy's destination is the working directory (`.` or the `WORKDIR`), so
  the install finds the manifests where it looked for them before. When an
  absolute `WORKDIR` after the copy makes the install run in the copy's
  destination (`COPY . /app`, `WORKDIR /app`, install), the manifests are
  copied to that destination in the full copy's place, with its `--chown`,
  `--chmod` and `--link` (so that they create the folder as it did: BuildKit
  makes a missing destination with mode 0755 and the copy's owner, and
  leaves an existing one as it is), the `WORKDIR` stays, the dependency
  install follows it, and the full copy comes after the install;
- nothing between the copy and the install changes the install (only
  `LABEL`, `EXPOSE`, comments and the absolute `WORKDIR` above may stand
  there), and the commands before the
  install in the same `RUN` only create a virtual environment or upgrade pip;
- the project's own install (`-e .`, `uv sync` without `--no-install-project`,
  `poetry install` without `--no-root`) always stays after the full copy,
  since an editable or project install before the source is copied fails;
- a stage that already copies a manifest (or bind-mounts one) before the
  full copy is left alone, also where it names it by a pattern
  (`COPY go.* ./`, `COPY requirements*.txt ./`);
- what the install reads besides the manifests comes with them: the
  settings files beside them that the installer reads (`.npmrc`, `.yarnrc`,
  `.yarnrc.yml`, `.pnpmfile.cjs`, pnpm's `pnpm-workspace.yaml` without
  packages, uv's `.python-version` and `uv.toml`, `poetry.toml`), when the
  build context has them and `.dockerignore` lets them in (one left out was
  not in the build before either). An install that needs more than files
  beside the manifests is left alone: workspaces (`workspaces` in
  package.json, `packages` in `pnpm-workspace.yaml`, `go.work`), local
  packages (`file:`, `link:`, `portal:`, `patch:` and relative versions in
  package.json, pnpm's patched dependencies, requirement lines that install
  a path or find links in a folder, `path` sources in pyproject.toml, a
  `replace` of a Go module by a folder), and yarn's own files under `.yarn/`
  (the release `yarnPath` names, plugins, patches);
- packages whose install scripts need the source (`prepare`, `postinstall`, …
  in package.json) are left alone, and so are dependencies declared
  `dynamic` in pyproject.toml (uv cannot read them without building), and
  so is a Go project that vendors its modules (`-mod=vendor`, or
  `vendor/modules.txt` in the context: there is nothing to download).
The install before the copy keeps the variables its command was given
(`CGO_ENABLED=0 GOOS=linux go build` gives `CGO_ENABLED=0 GOOS=linux go mod
download`), and the `RUN` after the copy keeps its own text and layout where
the install command itself stays in it (`go build`, `uv sync`, `poetry
install`); the post-condition checks that the commands that stay kept their
assignments.
The manifests' copy always takes the full copy's `--chown`, `--chmod` and
`--link`: an install run as another user (`USER node`) may write to them
(`npm install` updates its lock file), as it could before.
Flags and cache mounts of the original `RUN` are kept on both steps; a
multi-source `COPY` ends its destination with `/`. Installs in another stage
than the copy are not touched. New instructions take the file's keyword case
and blank lines.

## Revealed findings
The dependency install before the copy is the command the `RUN` after it
already held, so what hadolint says of it (`DL3042`, pip's cache directory)
is said of both steps. Likewise the manifests go to the destination of the
source copy: where that is relative with no `WORKDIR` set (`COPY . .`, which
hadolint's `DL3045` reports), it reports the manifests' `COPY` too. Both go
where they went before; set a `WORKDIR` to say where that is.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from dockfix.build import ends_open
from dockfix.editing import edit
from dockfix.rewrites import (
    COPY_DEST,
    COPY_SOURCES,
    RUN_COMMAND,
    Step,
    StepRule,
    rewrites,
    run_moved_earlier,
    script_rewritten,
    step_added,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.shell import Command, commands, lexemes
from dockfix.stages import stages
from dockfix.tree import Blank, Comment, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF011",
    name="dependency-cache",
    summary="Install dependencies from the manifests before copying the whole source",
    safety=Safety.UNSAFE,
)
TRIGGERS = ("copy", "add")  # one occurs in every file it reports on
# What BuildKit must read in the output: only these parts may change.


def _copies_files(step: Step) -> str | None:
    """An added COPY copies named files of the context (no `--from`, no globs)."""
    sources, flags = step[COPY_SOURCES], step[4]
    if step[0] != "copy" or not isinstance(sources, tuple) or not isinstance(flags, tuple):
        return "not a COPY"
    if any(isinstance(f, tuple) and f[0] == "from" for f in flags):
        return "the added COPY copies from another image or stage"
    if any(
        not isinstance(s, str) or any(c in s for c in "*?[") or s in (".", "./") for s in sources
    ):
        return "the added COPY copies more than named files"
    return None


def _assignments(script: str) -> list[tuple[str, ...]] | None:
    """The leading `NAME=value` assignments of each command of `script`."""
    cmds = commands(script)
    if cmds is None:
        return None
    return [
        tuple(script[_command_start(script, cmds, i) : cmd.start].split())
        for i, cmd in enumerate(cmds)
    ]


def _environment_kept(old: str, new: str) -> str | None:
    """The RUN after the copy keeps the last of its commands (the install and
    what follows it), each with the variables it was given: only commands
    before the install may go."""
    a, b = _assignments(old), _assignments(new)
    if a is None or b is None:
        return "a script this check cannot read changed"
    if len(b) > len(a) or a[len(a) - len(b) :] != b:
        return "the commands that stay lost or changed their variable assignments"
    return None


def _runs_no_substitution(step: Step) -> str | None:
    """The added install RUN runs the install (and the commands `_PREP`
    allows) only: no command substitution, whose command would run before
    the source is copied (`VERSION=$(git describe)`), and no command that
    is only assignments."""
    command = step[RUN_COMMAND]
    script = command[-1] if isinstance(command, tuple) and command else None
    if not isinstance(script, str):
        return "the added RUN has no shell script"
    found = lexemes(script)
    if found is None or "$(" in script or "`" in script:
        return "the added RUN runs a command substitution"
    segment: list[str] = []
    for word, operator in [*found, ("", True)]:
        if not operator:
            segment.append(word)
            continue
        if not segment or all(re.match(r"[A-Za-z_][A-Za-z0-9_]*=", w) for w in segment):
            return "the added RUN has a command of assignments only, or an empty one"
        segment = []
    return None


# What BuildKit must read in the output: the same build but for COPYs of
# manifests and a RUN added before the full copy, and the install's RUN after
# it rewritten (or moved before it), with the same environment, working
# directory, user and flags (history aside).
POSTCONDITION = rewrites(
    script_rewritten(_environment_kept),  # first: an added RUN must not stand for it
    step_added("copy", _copies_files),
    step_added("run", _runs_no_substitution),
)
MOVED = rewrites(
    run_moved_earlier,
    step_added("copy", _copies_files),
    step_added("run"),
)


def _copy_at(steps: Sequence[Step], i: int) -> Step | None:
    return steps[i] if i < len(steps) and steps[i][0] in ("copy", "add") else None


def _same_copy(a: Step, b: Step) -> bool:
    """The same copy but for the working directory it runs in, which an
    absolute destination does not read (the model's destination is resolved)."""
    return (
        a[0] == b[0]
        and a[COPY_SOURCES : COPY_DEST + 1] == b[COPY_SOURCES : COPY_DEST + 1]
        and (a[4:] == b[4:])
    )


def _whole(step: Step) -> bool:
    sources = step[COPY_SOURCES]
    return step[0] in ("copy", "add") and sources in ((".",), ("./",))


def source_copy_moved_down(split: bool) -> StepRule:
    """The copy of the whole context gone from here because it comes later:
    the same copy (its resolved destination included) is a later new step,
    and what it now comes after is only the `WORKDIR` of its destination
    (a folder that exists either way: the manifests' copy made it), copies of
    named files into that destination, and one `RUN`: the dependency install,
    which with `split` is a new one (the old install stays after the copy,
    rewritten), else the old install moved whole."""

    def rule(old: Sequence[Step], i: int, new: Sequence[Step], j: int) -> tuple[int, int] | None:
        a = _copy_at(old, i)
        dest_a = a[COPY_DEST] if a is not None else None
        if a is None or not _whole(a) or not isinstance(dest_a, str):
            return None
        folder = dest_a.rstrip("/") or "/"
        runs = 0
        for k in range(j, len(new)):
            b = new[k]
            if _same_copy(a, b):
                return (1, 0)
            if b[0] == "mkdir" and b[1] == folder:
                continue
            if b[0] == "copy" and _copies_files(b) is None:
                dest = b[COPY_DEST]
                if isinstance(dest, str) and (dest + "/").startswith(folder.rstrip("/") + "/"):
                    continue
            if b[0] == "run" and runs == 0 and not (split and b in old[i:]):
                runs += 1
                continue
            return None
        return None

    rule.__name__ = f"source_copy_moved_down(split={split})"
    return rule


def source_copy_arrived(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """The copy of the whole context in its new place: an old step before this
    point was the same copy (see `source_copy_moved_down`)."""
    b = _copy_at(new, j)
    if b is None or not _whole(b) or not any(_same_copy(a, b) for a in old[:i]):
        return None
    return (0, 1)


# `COPY . /app` then `WORKDIR /app` then the install: the same, and the full
# copy moved down past the WORKDIR and the dependency install.
MOVED_COPY_AFTER = rewrites(
    script_rewritten(_environment_kept),
    step_added("copy", _copies_files),
    source_copy_moved_down(split=True),
    source_copy_arrived,
    step_added("run"),
)
MOVED_COPY = rewrites(
    run_moved_earlier,
    step_added("copy", _copies_files),
    source_copy_moved_down(split=False),
    source_copy_arrived,
    step_added("run"),
)


MANIFESTS = {
    "pyproject.toml",
    "uv.lock",
    "poetry.lock",
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.mod",
    "go.sum",
}
_REQUIREMENTS = re.compile(r"requirements[\w.-]*\.(txt|in)\Z")
_NODE_LOCKS = {
    "npm": ("package-lock.json", "npm-shrinkwrap.json"),
    "yarn": ("yarn.lock",),
    "pnpm": ("pnpm-lock.yaml",),
}
# The settings an installer reads beside the manifests (registries and their
# credentials, hooks, the interpreter uv picks, where poetry puts the venv).
_NODE_SETTINGS = {
    "npm": (".npmrc",),
    "yarn": (".npmrc", ".yarnrc", ".yarnrc.yml"),
    "pnpm": (".npmrc", ".pnpmfile.cjs", "pnpm-workspace.yaml"),
}
_UV_SETTINGS = (".python-version", "uv.toml")
_POETRY_SETTINGS = ("poetry.toml",)
_NODE_SCRIPTS = ("preinstall", "install", "postinstall", "prepare", "prepublish")
_BETWEEN_OK = ("label", "expose")


class Refuse(Exception):
    """The install cannot be split safely: report without a fix, saying why."""


@dataclass
class Plan:
    """How one RUN's install is split: what to copy first, the command that
    installs the dependencies alone, and what stays after the full copy."""

    manifests: list[str]  # context-relative paths to copy first
    before: str  # the dependency-only command(s)
    after: str | None  # what stays after the full copy (None: nothing)
    what: str  # for the message
    # Where in the RUN's command text the part that stays as written starts
    # (the install command itself stays: `go build`, `uv sync`): the RUN
    # after the copy keeps its layout and only loses what comes before.
    kept_from: int | None = None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for stage in stages(tree):
        if stage.from_ is None:
            continue
        workdir = "/"
        seen_manifest_copy = False
        body = list(stage.instructions)
        for n, node in enumerate(body):
            keyword = node.keyword
            if keyword == "workdir" and node.reading.args:
                workdir = posixpath.normpath(posixpath.join(workdir, node.reading.args[0]))
            if keyword in ("copy", "add") and _copies_manifest(node):
                seen_manifest_copy = True
            if keyword == "run" and _binds_manifest(node):
                seen_manifest_copy = True
            if not _full_copy(node) or seen_manifest_copy:
                continue
            finding = _after_full_copy(tree, context, node, body[n + 1 :], workdir)
            if finding is not None:
                yield finding
            break  # one full copy per stage


def _full_copy(node: Instruction) -> bool:
    reading = node.reading
    if reading.keyword not in ("copy", "add") or reading.flag("from") is not None:
        return False
    return len(reading.args) == 2 and reading.args[0] in (".", "./")


def _names_manifest(source: str) -> bool:
    """Whether a COPY source or bind-mount source names a manifest, also
    through a pattern (`go.*`, `requirements*.txt`, `package*.json`)."""
    name = posixpath.basename(source.rstrip("/"))
    if name in MANIFESTS or _REQUIREMENTS.match(name):
        return True
    if not any(c in name for c in "*?["):
        return False
    return any(fnmatchcase(m, name) for m in (*MANIFESTS, "requirements.txt"))


def _copies_manifest(node: Instruction) -> bool:
    if node.reading.flag("from") is not None:
        return False
    return any(_names_manifest(a) for a in node.reading.args[:-1])


def _binds_manifest(node: Instruction) -> bool:
    for flag in node.reading.flags:
        if flag.name == "mount" and flag.value and "type=bind" in flag.value:
            source = dict(o.partition("=")[::2] for o in flag.value.split(",")).get("source", "")
            if _names_manifest(source):
                return True
    return False


def _after_full_copy(
    tree: Dockerfile,
    context: Context,
    full: Instruction,
    rest: list[Instruction],
    workdir: str,
) -> Finding | None:
    install_index = None
    plan: Plan | None = None
    reason = ""
    for i, node in enumerate(rest):
        if node.keyword != "run" or node.reading.json or node.heredocs:
            continue
        cmds = commands(node.reading.rest)
        if not cmds:
            continue
        try:
            plan = _plan(cmds, node.reading.rest, context)
        except Refuse as e:
            reason = str(e)
            plan = None
            install_index = i
            break
        if plan is not None:
            install_index = i
            break
    if install_index is None:
        return None
    run = rest[install_index]
    dest = full.reading.args[1]
    try:
        if plan is None and context.build_context is not None:
            raise Refuse(reason)
        moved = _where(full, rest[:install_index], workdir)
        if context.build_context is None:
            raise Refuse(context.unknown())
        assert plan is not None
        for manifest in plan.manifests:
            if not context.exists(manifest):
                raise Refuse(f"{manifest} is not in the build context")
            if context.ignored(manifest):
                raise Refuse(f"{manifest} is excluded by .dockerignore")
    except Refuse as e:
        return Finding(
            RULE,
            run,
            f"dependencies are installed after `COPY .`; not split automatically: {e}",
        )
    return _finding(tree, full, run, plan, dest, moved)


def _where(full: Instruction, between: list[Instruction], workdir: str) -> bool:
    """Whether the install runs where the full copy put the source: in the
    working directory the copy went to (False), or in the copy's destination
    because a `WORKDIR` after the copy went there (True: the copy then moves
    after the install, see `_finding`). Refuse otherwise."""
    dest = full.reading.args[1]
    target = posixpath.normpath(posixpath.join(workdir, dest))
    at_install = workdir
    for node in between:
        if node.keyword == "workdir" and node.reading.args:
            path = node.reading.args[0]
            if "$" in path or not path.startswith("/"):
                raise Refuse(f"the install runs in a working directory set by `WORKDIR {path}`")
            at_install = posixpath.normpath(path)
        elif node.keyword not in _BETWEEN_OK:
            raise Refuse(f"{node.keyword.upper()} between the copy and the install")
    if at_install == workdir:
        if target != workdir:
            raise Refuse(f"the copy goes to {dest}, not the working directory {workdir}")
        return False
    if target != at_install:
        raise Refuse(f"the copy goes to {dest}, not the working directory {at_install}")
    if "$" in dest or not dest.startswith("/"):
        raise Refuse(
            f"the copy goes to {dest}, relative to the working directory {workdir}, "
            "which the WORKDIR after it changes"
        )
    odd = [f.name for f in full.reading.flags if f.name not in _FOLLOWING_FLAGS]
    if odd:
        raise Refuse(f"the copy has --{odd[0]}, which the manifests' copy could not share")
    return True


# Flags of the full copy that the manifests' copy takes when it creates the
# destination folder in the copy's place (see `_finding`).
_FOLLOWING_FLAGS = ("chown", "chmod", "link")


def _finding(
    tree: Dockerfile,
    full: Instruction,
    run: Instruction,
    plan: Plan,
    dest: str,
    moved: bool,
) -> Finding:
    """The split. Usually the manifests' copy and the dependency install go
    right before the full copy, into its working directory. With `moved`
    (`COPY . /app`, then `WORKDIR /app`, then the install), the install must
    stay after the `WORKDIR`, so the full copy moves down instead: the
    manifests' copy takes its place (the same destination and ownership
    flags, so it creates the folder exactly as the full copy did), the
    instructions between stay, the dependency install follows them, then the
    full copy, then what stays of the install."""
    style = tree.style
    flags = " ".join(run.logical.text[f.span.start : f.span.end] for f in run.reading.flags)
    prefix = f"{flags} " if flags else ""
    # The manifests get the owner and mode the full copy gives them (an install
    # run as another user may write to them: `npm install` its lock file), and
    # a folder the copy creates is made as the full copy made it.
    kept_flags = [f for f in full.reading.flags if f.name in _FOLLOWING_FLAGS]
    copy_flags = "".join(full.logical.text[f.span.start : f.span.end] + " " for f in kept_flags)
    new: list[Node] = []
    # The file's blank lines between instructions, after each new one.
    blank: list[Node] = [Blank(style.newline)] if style.blank_lines else []
    by_dir: dict[str, list[str]] = {}
    for manifest in plan.manifests:
        by_dir.setdefault(posixpath.dirname(manifest), []).append(manifest)
    base = dest.rstrip("/") or "."
    for folder, files in by_dir.items():
        target = posixpath.join(base, folder) if folder else base
        new.append(style.instruction("COPY", f"{copy_flags}{' '.join(files)} {target}/"))
        new.extend(blank)
    if moved and blank:
        new = new[: -len(blank)]  # what followed the full copy follows the new one
    # Everything from the full copy to the install is replaced: the copy and the
    # lines between stay as they were, the install becomes its `after` part.
    items = list(tree.items)
    start = next(i for i, item in enumerate(items) if item is full)
    end = next(i for i, item in enumerate(items) if item is run)
    old = tuple(items[start : end + 1])
    after: list[Node] = []
    if plan.after is not None:
        a, b = run.reading.rest_span.start, run.reading.rest_span.end
        if plan.kept_from is not None:  # the RUN as written, less what went before
            after.append(edit(run, a, a + plan.kept_from, "") if plan.kept_from else run)
        else:
            after.append(edit(run, a, b, plan.after))
    before = style.instruction("RUN", f"{prefix}{plan.before}")
    if plan.after is None and run.code.endswith("\n") and not ends_open(run):
        before = run  # it moves whole, as written (its comment lines too)
    if moved:
        # The new COPY stands where the full copy stood (the lines after it,
        # the WORKDIR among them, stay), then the install, the copy, the rest.
        between = list(items[start + 1 : end])
        tail = [*blank, *after] if after else []
        replacement = [*new, *between, before, *blank, full, *tail]
        postcondition = MOVED_COPY_AFTER if plan.after is not None else MOVED_COPY
    else:
        kept: list[Node] = list(items[start:end])
        moved_comments: list[Node] = []
        if plan.after is None:
            while kept and isinstance(kept[-1], Comment):
                moved_comments.insert(0, kept.pop())  # comments about the install move with it
            # The install leaves: the blank lines that set it apart would be
            # doubled with those after it.
            closing = end + 1 >= len(items) or isinstance(items[end + 1], Blank)
            while closing and len(kept) > 1 and isinstance(kept[-1], Blank):
                kept.pop()
        replacement = [*new, *moved_comments, before, *blank, *kept, *after]
        postcondition = POSTCONDITION if plan.after is not None else MOVED
    return Finding(
        RULE,
        run,
        f"{plan.what} runs after `COPY {full.reading.args[0]}`: every source change "
        "reinstalls the dependencies; install them from the manifests first",
        Fix(
            (Edit(old, tuple(replacement)),),
            Safety.UNSAFE,
            "Install dependencies before the copy",
            postcondition=postcondition,
        ),
    )


# --- what each installer needs ------------------------------------------------------

_PREP = re.compile(
    r"\A(uv venv\b.*|python3? -m venv\b.*|virtualenv\b.*"
    r"|(python3? -m )?pip3? install (-U|--upgrade)( (pip|setuptools|wheel|uv))+)\Z"
)


def _command_start(script: str, cmds: Sequence[Command], i: int) -> int:
    """Where the `i`th command starts in `script`, its leading assignments
    (`CGO_ENABLED=0 GOOS=linux go build`) included."""
    cmd = cmds[i]
    low = 0
    if i > 0:
        op = script.find(cmd.before, cmds[i - 1].end, cmd.start) if cmd.before else -1
        low = op + len(cmd.before) if op >= 0 else cmds[i - 1].end
    segment = script[low : cmd.start]
    return low + len(segment) - len(segment.lstrip())


def _plan(cmds: Sequence[Command], script: str, context: Context) -> Plan | None:
    """A plan for the first install command of the RUN, None if it has none.
    The commands keep their assignments, redirections and quoting: the parts
    of the RUN that stay are its own text."""
    for i, cmd in enumerate(cmds):
        plan = _plan_command(cmd, context)
        if plan is None:
            continue
        if any(c.before not in ("", "&&") for c in cmds[1:]) or (cmds[-1].after not in ("", "&&")):
            raise Refuse("the RUN joins its commands with operators other than &&")
        preps = [script[_command_start(script, cmds, k) : c.end] for k, c in enumerate(cmds[:i])]
        for text in preps:
            if not _PREP.match(text):
                raise Refuse(f"`{text}` runs before the install and may need the source")
        start = _command_start(script, cmds, i)
        assignments = script[start : cmd.start]
        found = lexemes(assignments)
        if found is None or any(op for _, op in found):
            # `VERSION=$(git describe) && go build`: an assignment of its own
            # (no command of the list), which runs before the install too.
            own = re.split(r"&&|\|\||;|\|", assignments)[0].strip()
            raise Refuse(f"`{own}` runs before the install and may need the source")
        if "$(" in assignments or "`" in assignments:
            raise Refuse(f"`{assignments.strip()}` runs a command, which may need the source")
        if not any(q in assignments for q in "'\"\\"):
            assignments = " ".join(assignments.split()) + (" " if assignments else "")
        prep = " && ".join(preps)
        before = f"{prep} && {assignments}{plan.before}" if prep else f"{assignments}{plan.before}"
        if plan.kept_from is not None:
            return Plan(plan.manifests, before, script[start:], plan.what, start)
        tail = script[_command_start(script, cmds, i + 1) :] if i + 1 < len(cmds) else ""
        after_parts = ([f"{assignments}{plan.after}"] if plan.after else []) + (
            [tail] if tail else []
        )
        return Plan(plan.manifests, before, " && ".join(after_parts) or None, plan.what)
    return None


def _plan_command(cmd: Command, context: Context) -> Plan | None:
    name, args = cmd.name, cmd.args
    text_args = [w.text for w in cmd.words[1:]]
    if name == "uv" and args[:1] == ["sync"]:
        return _uv_sync(text_args, context)
    if name == "uv" and args[:2] == ["pip", "install"]:
        return _pip_install("uv pip install", text_args[2:], args[2:], context, uv=True)
    if name in ("pip", "pip3") and args[:1] == ["install"]:
        return _pip_install(f"{name} install", text_args[1:], args[1:], context, uv=False)
    if name in ("python", "python3") and args[:3] == ["-m", "pip", "install"]:
        return _pip_install(f"{name} -m pip install", text_args[3:], args[3:], context, uv=False)
    if name == "poetry" and args[:1] == ["install"]:
        return _poetry(text_args, context)
    if name in ("npm", "yarn", "pnpm") and (
        args[:1] in (["ci"], ["install"], ["i"]) or (name == "yarn" and not args)
    ):
        if any(a in ("-g", "--global", "--location=global") for a in args) or any(
            not a.startswith("-") for a in args[1:]
        ):
            return None  # a global tool or named packages: not the project's dependencies
        return _node(name, " ".join([name, *text_args]), context)
    if name == "go" and (args[:2] == ["mod", "download"] or args[:1] in (["build"], ["install"])):
        if "-mod=vendor" in args or context.exists("vendor/modules.txt"):
            raise Refuse("the project vendors its modules: there is nothing to download first")
        _go_local(context)
        return _go(" ".join(["go", *text_args]), args[:2] == ["mod", "download"])
    return None


def _uv_sync(args: list[str], context: Context) -> Plan:
    command = " ".join(["uv", *args])
    if "--no-install-project" in args or "--no-install-workspace" in args:
        raise Refuse("`uv sync` already skips the project: it only needs copying earlier")
    uv = _pyproject(context).get("tool", {}).get("uv", {})
    workspace = uv.get("workspace")
    local = _path_source(uv.get("sources"))
    if local is not None:
        raise Refuse(f"pyproject.toml installs `{local}` from a folder of the source")
    manifests = ["pyproject.toml"]
    if context.exists("uv.lock") or {"--locked", "--frozen"} & set(args):
        manifests.append("uv.lock")
    manifests.extend(_settings(_UV_SETTINGS, context))
    if workspace:
        deps = [a if a != "--locked" else "--frozen" for a in args]
        if "--frozen" not in deps:
            deps.append("--frozen")  # members are not there yet: cannot check the lock
        before = " ".join(["uv", *deps, "--no-install-workspace"])
    else:
        before = f"{command} --no-install-project"
    return Plan(manifests, before, command, "`uv sync`", kept_from=0)


def _path_source(table: object) -> str | None:
    """The first dependency of a `[tool.uv.sources]` or poetry dependency
    table taken from a folder (`{ path = "../lib" }`), in any of its forms."""
    if not isinstance(table, dict):
        return None
    for name, value in table.items():
        for source in value if isinstance(value, list) else [value]:
            if isinstance(source, dict) and "path" in source:
                return str(name)
    return None


def _pyproject(context: Context) -> dict[str, Any]:
    text = context.read("pyproject.toml")
    if text is None:
        return {}
    import tomllib  # only with a pyproject.toml to read (costs a start ~10 ms)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise Refuse(f"pyproject.toml does not parse ({e})") from None


def _requirement_files(args: list[str]) -> list[str] | None:
    """The files after -r/--requirement (and -c), or None if the args install
    anything else (a package name, a path, `.`)."""
    files: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(args):
            files.append(args[i + 1])
            i += 2
            continue
        for long in ("--requirement=", "--constraint=", "-r", "-c"):
            if a.startswith(long) and len(a) > len(long):
                files.append(a[len(long) :])
                break
        else:
            if not a.startswith("-"):
                return None
        i += 1
    return files


def _included(files: list[str], context: Context) -> list[str]:
    """Requirement files plus those they include with -r/-c, recursively."""
    found: list[str] = []
    todo = list(files)
    while todo:
        path = posixpath.normpath(todo.pop(0))
        if path in found:
            continue
        if path.startswith(("/", "..")):
            raise Refuse(f"{path} is outside the build context")
        found.append(path)
        text = context.read(path)
        if text is None:
            continue  # reported as missing by the caller
        for line in text.splitlines():
            m = re.match(r"\s*(-r|-c|--requirement|--constraint)[\s=]+(\S+)", line)
            if m:
                todo.append(posixpath.join(posixpath.dirname(path), m.group(2)))
            elif _LOCAL_REQUIREMENT.match(line):
                raise Refuse(f"{path} installs `{line.strip()}` from the source, not copied yet")
    return found


# A requirement line that reads a path rather than an index or a URL: `.`,
# `-e ./lib`, `/wheels/x.whl`, `name @ file:…`, `--find-links ./wheels`.
_LOCAL_REQUIREMENT = re.compile(
    r"\s*(?:(?:-e|--editable|-f|--find-links)(?:\s+|\s*=\s*|(?=[./~])))?(?:\.|/|~|file:)"
    r"|[^#]*@\s*file:"
    r"|\s*(?:-f|--find-links)(?:\s+|\s*=\s*)(?!https?:)[^\s#]"
)


def _pip_install(
    head: str, text_args: list[str], args: list[str], context: Context, uv: bool
) -> Plan | None:
    project = [a for a in args if a in (".", "./")]
    if project:
        editable = "-e" in args or "--editable" in args
        rest = [
            a for a in args if a not in (".", "./", "-e", "--editable") and not a.startswith("-")
        ]
        if rest:
            raise Refuse("the install names more than the project")
        keep = [
            t
            for t, a in zip(text_args, args, strict=True)
            if a.startswith("-") and a not in ("-e", "--editable")
        ]
        after = " ".join([head, *keep, "-e ." if editable else "."])
        what = f"`{head} {'-e ' if editable else ''}.`"
        if uv:
            if context.exists("uv.lock") and not context.ignored("uv.lock"):
                raise Refuse("uv.lock is there: install from it (lock-install) rather than ranges")
            project_table = _pyproject(context).get("project", {})
            if not isinstance(project_table, dict) or "dependencies" in project_table.get(
                "dynamic", []
            ):
                raise Refuse("the project's dependencies are not static in pyproject.toml")
            before = " ".join([head, *keep, "-r", "pyproject.toml"])
            return Plan(["pyproject.toml"], before, after, what)
        requirements = [r for r in ("requirements.txt",) if context.exists(r)]
        if not requirements:
            raise Refuse("pip cannot install only the dependencies without a requirements file")
        files = _included(requirements, context)
        before = " ".join([head, *keep, "-r", "requirements.txt"])
        return Plan(files, before, after, what)
    listed = _requirement_files(args)
    if not listed:
        return None
    manifests = _included(listed, context)
    return Plan(manifests, " ".join([head, *text_args]), None, f"`{head} -r …`")


def _poetry(args: list[str], context: Context) -> Plan:
    command = " ".join(["poetry", *args])
    if not context.exists("poetry.lock"):
        raise Refuse("poetry.lock is not in the build context")
    poetry = _pyproject(context).get("tool", {}).get("poetry", {})
    groups = poetry.get("group", {})
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    if isinstance(groups, dict):
        tables += [g.get("dependencies") for g in groups.values() if isinstance(g, dict)]
    for table in tables:
        local = _path_source(table)
        if local is not None:
            raise Refuse(f"pyproject.toml installs `{local}` from a folder of the source")
    manifests = ["pyproject.toml", "poetry.lock", *_settings(_POETRY_SETTINGS, context)]
    if "--no-root" in args or "--only-root" in args:
        return Plan(manifests, command, None, "`poetry install`")
    return Plan(
        manifests,
        f"{command} --no-root",
        command,
        "`poetry install`",
        kept_from=0,
    )


def _node(tool: str, command: str, context: Context) -> Plan:
    text = context.read("package.json")
    if text is None:
        raise Refuse("package.json is not in the build context")
    try:
        package = json.loads(text)
        scripts = package.get("scripts", {}) or {}
    except (json.JSONDecodeError, AttributeError):
        raise Refuse("package.json does not parse") from None
    needing_source = [s for s in _NODE_SCRIPTS if s in scripts]
    if needing_source:
        raise Refuse(
            f"package.json runs `{needing_source[0]}` on install, which may need the source"
        )
    if package.get("workspaces"):
        raise Refuse("package.json declares workspaces, whose packages are not copied yet")
    local = _local_package(package)
    if local is not None:
        raise Refuse(f"package.json installs `{local}` from the source, not copied yet")
    settings = _settings(_NODE_SETTINGS[tool], context)
    if tool == "pnpm" and "pnpm-workspace.yaml" in settings:
        workspace = context.read("pnpm-workspace.yaml") or ""
        if re.search(r"^(packages|patchedDependencies)\s*:", workspace, re.M):
            raise Refuse("pnpm-workspace.yaml names packages or patches not copied yet")
    if tool == "yarn":
        for folder in (".yarn/releases", ".yarn/plugins", ".yarn/patches"):
            if context.probe("kind", folder) == "folder" and not context.ignored(folder):
                raise Refuse(f"yarn reads its own files in {folder}/, not copied yet")
    locks = [lock for lock in _NODE_LOCKS[tool] if context.exists(lock)]
    if not locks:
        raise Refuse(f"no {tool} lock file in the build context")
    return Plan(["package.json", locks[0], *settings], command, None, f"`{command}`")


# A version that names a place in the source rather than a registry or a URL:
# `file:../lib`, `link:`, yarn's `portal:` and `patch:` (its patch file), a
# path; `workspace:` needs the workspace's packages.
_LOCAL_VERSION = re.compile(r"(file|link|portal|patch|workspace):|\.{0,2}/|~/")
_DEPENDENCY_FIELDS = (
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "resolutions",
    "overrides",
)


def _local_package(package: dict[str, Any]) -> str | None:
    """`name@version` of the first dependency package.json takes from the
    source (overrides and resolutions included), or a patch pnpm applies."""
    pnpm = package.get("pnpm")
    fields: list[object] = [package.get(f) for f in _DEPENDENCY_FIELDS]
    if isinstance(pnpm, dict):
        if pnpm.get("patchedDependencies"):
            return "pnpm.patchedDependencies"
        fields.append(pnpm.get("overrides"))
    todo = [("", f) for f in fields]
    while todo:
        name, value = todo.pop(0)
        if isinstance(value, str) and _LOCAL_VERSION.match(value):
            return f"{name}@{value}"
        if isinstance(value, dict):  # npm's nested overrides name a package's own by "."
            todo.extend((name if key == "." else key, v) for key, v in value.items())
    return None


def _settings(names: Sequence[str], context: Context) -> list[str]:
    """The settings files among `names` that the build context has and lets in."""
    return [n for n in names if context.exists(n) and not context.ignored(n)]


# A `replace` whose target is a folder (`=> ./lib`, `=> ../common`), in a
# one-line directive or in a `replace ( … )` block.
_GO_LOCAL_REPLACE = re.compile(r"^\s*(?:replace\s+)?\S+(?:\s+\S+)?\s+=>\s*(\.{0,2}/\S*)", re.M)


def _go_local(context: Context) -> None:
    """Refuse a module that needs folders of the source to resolve."""
    if context.exists("go.work"):
        raise Refuse("go.work makes a workspace of folders not copied yet")
    m = _GO_LOCAL_REPLACE.search(context.read("go.mod") or "")
    if m:
        raise Refuse(f"go.mod replaces a module with {m.group(1)}, not copied yet")


def _go(command: str, download_only: bool) -> Plan:
    if download_only:
        return Plan(["go.mod", "go.sum"], command, None, f"`{command}`")
    return Plan(["go.mod", "go.sum"], "go mod download", command, f"`{command}`", kept_from=0)
