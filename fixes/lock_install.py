"""## What it does
Finds installs that resolve version ranges although the build context holds
a lock file, and makes them install from the lock:
- `uv pip install .` / `uv pip install -e .` with a `uv.lock` →
  `uv sync --locked --no-dev` (`--no-editable` where the original was not
  editable, `--extra` for `.[extra]`), with `UV_PROJECT_ENVIRONMENT` set to the
  virtual environment the stage uses (and `UV_COMPILE_BYTECODE=1` in the final
  stage, as uv's Docker guide recommends for images that run the app);
- `npm install` with a `package-lock.json` (or `npm-shrinkwrap.json`) → `npm ci`;
- `yarn install` with a `yarn.lock` → `yarn install --frozen-lockfile`
  (`--immutable` for Yarn 2+, recognised by `.yarnrc.yml` or the
  `packageManager` field);
- `pnpm install` with a `pnpm-lock.yaml` → `pnpm install --frozen-lockfile`;
- `pipenv install` with a `Pipfile.lock` → `pipenv install --deploy`.

dependency-cache (DF011) then moves the dependency part before `COPY . .`.

## Why is this bad?
A lock file records the exact versions that were tested. Installing from the
manifest's ranges instead resolves again at every build, so two builds of the
same commit can get different packages, and a new release of any dependency
can break an image nobody changed. The locked commands also fail loudly when
the lock is out of date, instead of silently ignoring it.

## Example
```dockerfile
ENV VIRTUAL_ENV=/opt/venv
COPY . .
RUN uv venv /opt/venv && uv pip install -e .
```

Use instead:
```dockerfile
ENV VIRTUAL_ENV=/opt/venv
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1
COPY . .
RUN uv venv /opt/venv && uv sync --locked --no-dev
```

## Fix safety
Unsafe: the packages installed may differ from today's resolution (that is
the point), and the build now fails when the lock does not match the
manifest. Where it plainly does not, the install is reported, not
rewritten: a package-lock.json (lockfile version 2 or 3) whose record of
package.json's dependencies differs from package.json, a yarn.lock without
an entry for one of package.json's ranges, a uv.lock whose entry for the
project records other dependencies than `[project]` lists. The fix is
offered only when the lock file is certainly in the image when the command
runs: a `COPY .` (or a `COPY` naming the lock, also
by a pattern such as `package*.json`) into the folder the command runs in
(also one a later `WORKDIR` enters) earlier in the stage, not excluded by
`.dockerignore`, or a bind mount of it. An install that runs in another
folder (after a `cd` in its `RUN`, or with `--prefix`, `--cwd`, `-C`,
`--dir`) is left alone: the lock files of that folder are not looked at.
For uv, the environment must be known (a literal `VIRTUAL_ENV` set earlier
in the stage), and the project packaged: where uv.lock records the root as
virtual (no `[build-system]`) or `tool.uv.package = false`, `uv sync`
installs the dependencies only, not the project or its scripts, so the
install is reported, not rewritten; `uv sync` replaces
`uv pip install` only for a plain project install (no other packages, no
`--system`, `--target`, `--prefix` or `--python`), and gets `--inexact` when
the stage installed other packages into the environment before, so `uv sync`
does not remove them. Flags that mean the same to both commands are kept;
any other flag leaves the install as it is, with a report.

The build context is `--build-context` when given, else the folder that
holds the Dockerfile's own `COPY`/`ADD` sources (its own folder, or the one
folder above it that holds them all; see "Build context" in the README).
When that is unknown (no folder, or several, hold them), each install a lock
file would change is reported without a fix, saying so.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from dockfix.build import instruction
from dockfix.editing import drops_inner_lines, edit_many
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, commands, edited_only
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF060",
    name="lock-install",
    summary="Install from the lock file when the build context has one",
    safety=Safety.UNSAFE,
)
TRIGGERS = ("uv", "npm", "yarn", "pipenv")  # one occurs in every file it reports on
# What BuildKit must read in the output: only RUN commands change, by the
# words that make an install read its lock (`install` -> `ci`,
# `--frozen-lockfile`, `uv pip install -e .` -> `uv sync --locked --no-dev`),
# and for uv the environment gains UV_PROJECT_ENVIRONMENT (and
# UV_COMPILE_BYTECODE).
_ADDED_WORDS = frozenset(
    {"ci", "--frozen-lockfile", "--immutable", "--deploy", "sync", "--locked", "--no-dev"}
    | {"--no-editable", "--inexact"}
)
_REMOVED_WORDS = frozenset(("install", "i", "pip", "-e", "--editable", ".", "./"))
_PROJECT_WITH_EXTRAS = re.compile(r"\.\[[\w.,-]+\]")


def _only_lock_words(old: str, new: str) -> str | None:
    return edited_only(
        old,
        new,
        insert=lambda words: (
            (len(words) == 1 and words[0] in _ADDED_WORDS)
            or (len(words) == 2 and words[0] == "--extra")
        ),
        delete=lambda words: (
            len(words) == 1
            and (words[0] in _REMOVED_WORDS or bool(_PROJECT_WITH_EXTRAS.fullmatch(words[0])))
        ),
    )


POSTCONDITION = keeps_commands(
    _only_lock_words, env=("UV_PROJECT_ENVIRONMENT", "UV_COMPILE_BYTECODE")
)

# `uv pip install` flags that `uv sync` takes with the same meaning.
_UV_SAME_FLAGS = frozenset(
    {"--no-cache", "-n", "-q", "--quiet", "-v", "--verbose", "--compile-bytecode", "--offline"}
)
_UV_SAME_VALUED = ("--link-mode", "--index-strategy", "--keyring-provider")
_PROJECT = re.compile(r"\.(?:/)?(?:\[([A-Za-z0-9_,.-]+)\])?\Z")
_INSTALLS = re.compile(r"\A(uv pip install|pip3? install|python3? -m pip install)\b")
_DEV_NAME = re.compile(r"(^|[._-])(dev|devel|develop|test|tests|ci)([._-]|$)", re.I)


class Refuse(Exception):
    """No fix: the reason goes into the report."""


@dataclass(frozen=True)
class Rewrite:
    """An install from ranges rewritten to install from a lock file."""

    command: Command
    edits: list[tuple[int, int, str]]  # in the RUN's script (`reading.rest`)
    text: str  # the command as it will read, for the message
    lock: str  # the lock file it reads
    what: str  # the old command, for the message
    env: dict[str, str] | None = None  # ENV to set first (uv)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    # With the build context unknown, each install that a lock file would
    # change is reported (as if the lock were there), without a fix.
    unknown = context.build_context is None
    all_stages = stages(tree)
    built = [s for s in all_stages if s.from_ is not None]
    for stage in built:
        for node in stage.instructions:
            if node.keyword != "run" or node.reading.json or node.heredocs:
                continue
            cmds = commands(node.reading.rest)
            if not cmds:
                continue
            for i, cmd in enumerate(cmds):
                try:
                    rewrite = _rewrite(cmd, cmds[:i], stage, all_stages, node, context)
                    if rewrite is None:
                        continue
                except Refuse as e:
                    if unknown:
                        yield _not_checked(node, " ".join(w.text for w in cmd.words), context)
                        break
                    yield Finding(RULE, node, f"installs from ranges although {e}")
                    continue
                try:
                    _check_available(rewrite.lock, stage, node, context)
                    if not unknown:
                        _check_up_to_date(rewrite.lock, context)
                except Refuse as e:
                    if unknown:
                        continue  # no lock would be in the image when it runs
                    yield Finding(RULE, node, f"installs from ranges although {e}")
                    continue
                if unknown:
                    yield _not_checked(node, rewrite.what, context)
                    break
                yield _finding(tree, stage, node, rewrite, stage is built[-1], context)
                break  # one rewrite per RUN and round


def _not_checked(node: Instruction, what: str, context: Context) -> Finding:
    return Finding(
        RULE,
        node,
        f"`{what}` would install from a lock file if the build context has one; "
        f"not checked: {context.unknown()}",
    )


# --- the rewrites -------------------------------------------------------------------


# Options that make an install read another folder's manifests.
_OTHER_FOLDER = frozenset({"--prefix", "--cwd", "-C", "--dir", "--directory", "--project"})


def _rewrite(
    cmd: Command,
    earlier: Sequence[Command],
    stage: Stage,
    all_stages: list[Stage],
    node: Instruction,
    context: Context,
) -> Rewrite | None:
    name, args = cmd.name, cmd.args
    if any(c.name in ("cd", "pushd", "popd") for c in earlier) or (
        name != "uv" and any(a.split("=", 1)[0] in _OTHER_FOLDER for a in args)
    ):
        return None  # it runs in another folder, whose lock files are not looked at
    if name == "uv" and args[:2] == ["pip", "install"]:
        return _uv(cmd, earlier, stage, all_stages, node, context)
    if name == "npm" and args[:1] in (["install"], ["i"]):
        lock = next(
            (f for f in ("npm-shrinkwrap.json", "package-lock.json") if _has(context, f)), None
        )
        if lock is None or any(not a.startswith("-") for a in args[1:]):
            return None  # no lock, or packages named: not a lock install
        word = cmd.words[1]
        text = " ".join(["npm", "ci", *(w.text for w in cmd.words[2:])])
        return Rewrite(cmd, [(word.start, word.end, "ci")], text, lock, "npm install")
    if name == "yarn" and (not args or args[:1] == ["install"]):
        if not _has(context, "yarn.lock") or any(not a.startswith("-") for a in args[1:]):
            return None
        flag = "--immutable" if _yarn_berry(context) else "--frozen-lockfile"
        if flag in args or "--immutable" in args or "--frozen-lockfile" in args:
            return None
        return _append(cmd, flag, "yarn.lock")
    if name == "pnpm" and args[:1] in (["install"], ["i"]):
        if not _has(context, "pnpm-lock.yaml") or "--frozen-lockfile" in args:
            return None
        if any(not a.startswith("-") for a in args[1:]):
            return None
        return _append(cmd, "--frozen-lockfile", "pnpm-lock.yaml")
    if name == "pipenv" and args[:1] == ["install"]:
        if not _has(context, "Pipfile.lock") or {"--deploy", "--ignore-pipfile"} & set(args):
            return None
        if any(not a.startswith("-") for a in args[1:]):
            return None
        return _append(cmd, "--deploy", "Pipfile.lock")
    return None


def _append(cmd: Command, flag: str, lock: str) -> Rewrite:
    """`flag` after the command's last word; every other byte stays."""
    words = [w.text for w in cmd.words]
    return Rewrite(
        cmd, [(cmd.end, cmd.end, f" {flag}")], " ".join([*words, flag]), lock, " ".join(words)
    )


def _has(context: Context, name: str) -> bool:
    """Whether the lock is in the build context (and not ignored); True when the
    context is unknown, so that `check` finds the installs a lock would change."""
    if context.build_context is None:
        return True
    return context.exists(name) and not context.ignored(name)


def _yarn_berry(context: Context) -> bool:
    if context.exists(".yarnrc.yml"):
        return True
    manager = _package(context).get("packageManager", "")
    m = re.match(r"yarn@(\d+)", manager if isinstance(manager, str) else "")
    return bool(m and int(m.group(1)) >= 2)


def _uv(
    cmd: Command,
    earlier: Sequence[Command],
    stage: Stage,
    all_stages: list[Stage],
    node: Instruction,
    context: Context,
) -> Rewrite | None:
    if not _has(context, "uv.lock"):
        return None
    words = cmd.words[3:]
    editable = False
    extras: list[str] = []
    kept: list[str] = []
    project = False
    i = 0
    while i < len(words):
        value, text = words[i].value, words[i].text
        if value in ("-e", "--editable"):
            editable = True
        elif value.startswith("-e") and _PROJECT.match(value[2:]):
            editable = True
            value = value[2:]
        if _PROJECT.match(value):
            project = True
            m = _PROJECT.match(value)
            assert m is not None
            extras.extend(e for e in (m.group(1) or "").split(",") if e)
        elif value in _UV_SAME_FLAGS:
            kept.append(text)
        elif value.split("=", 1)[0] in _UV_SAME_VALUED:
            kept.append(text)
            if "=" not in value and i + 1 < len(words):
                kept.append(words[i + 1].text)
                i += 1
        elif value not in ("-e", "--editable"):
            if not value.startswith("-"):
                return None  # other packages too: not a plain project install
            raise Refuse(f"uv.lock is there (`{value}` has no `uv sync` equivalent)")
        i += 1
    if not project:
        return None
    if _unpackaged(context):
        # `uv sync` installs only the dependencies of a project that is not
        # packaged: its entry points (`[project.scripts]`) would be missing.
        raise Refuse(
            "uv.lock is there (the project is not packaged: uv.lock records it as "
            "virtual, or tool.uv.package = false; `uv sync` would not install it or "
            "its scripts)"
        )
    venv = _virtual_env(stage, all_stages, node)
    if venv is None:
        raise Refuse("uv.lock is there (no literal VIRTUAL_ENV tells `uv sync` where to install)")
    current = _env_before(stage, all_stages, node).get("UV_PROJECT_ENVIRONMENT")
    if current is not None and current != venv:
        raise Refuse(f"uv.lock is there (UV_PROJECT_ENVIRONMENT is {current}, not {venv})")
    parts = ["uv", "sync", "--locked", "--no-dev"]
    if not editable:
        parts.append("--no-editable")
    for extra in extras:
        parts += ["--extra", extra]
    if _installed_before(stage, node, earlier):
        parts.append("--inexact")
    env = {} if current is not None else {"UV_PROJECT_ENVIRONMENT": venv}
    what = "uv pip install " + ("-e ." if editable else ".")
    text = " ".join([*parts, *kept])
    start = node.reading.rest_span.start
    if drops_inner_lines(node, start + cmd.start, start + cmd.end):
        raise Refuse(f"uv.lock is there (`{what}` has comment lines inside; rewrite it by hand)")
    return Rewrite(cmd, [(cmd.start, cmd.end, text)], text, "uv.lock", what, env)


def _unpackaged(context: Context) -> bool:
    """Whether uv treats the project as not packaged, so that `uv sync`
    installs its dependencies only: the lock records the root as virtual
    (`source = { virtual = "." }`, what uv writes for a project with no
    `[build-system]`), or pyproject.toml says `tool.uv.package = false`."""
    lock = context.read("uv.lock") or ""
    if re.search(r"source\s*=\s*\{\s*virtual\s*=\s*\"\.\"", lock):
        return True
    data = _toml(context, "pyproject.toml")
    if data is None:
        return True
    return data.get("tool", {}).get("uv", {}).get("package") is False


def _toml(context: Context, name: str) -> dict[str, Any] | None:
    """A TOML file of the build context, parsed once per file (None where it
    does not parse; empty where it is absent)."""
    key = f"lock-install:{name}"
    if key not in context.memo:
        import tomllib  # only with a uv.lock to read (costs a start ~10 ms)

        try:
            context.memo[key] = tomllib.loads(context.read(name) or "")
        except tomllib.TOMLDecodeError:
            context.memo[key] = None
    parsed = context.memo[key]
    return parsed if isinstance(parsed, dict) else None


def _env_before(stage: Stage, all_stages: list[Stage], node: Instruction) -> dict[str, str]:
    """Literal ENV values in force before `node` (inherited through FROM stages)."""
    env: dict[str, str] = {}
    for ancestor in reversed(ancestry(all_stages, stage)):
        for i in ancestor.instructions:
            if i is node:
                break
            if i.keyword == "env":
                for pair in i.reading.pairs:
                    value = pair.value.strip("\"'")
                    if "$" in value or "\\" in value or "$" in pair.key:
                        env.pop(pair.key, None)
                    else:
                        env[pair.key] = value
    return env


def _virtual_env(stage: Stage, all_stages: list[Stage], node: Instruction) -> str | None:
    venv = _env_before(stage, all_stages, node).get("VIRTUAL_ENV")
    return venv if venv and venv.startswith("/") else None


def _installed_before(stage: Stage, node: Instruction, earlier: Sequence[Command]) -> bool:
    """Whether the stage installed packages before this command (uv sync would remove them)."""
    scripts = list(earlier)
    for i in stage.instructions:
        if i is node:
            break
        if i.keyword == "run" and not i.reading.json:
            scripts.extend(commands(i.reading.rest) or [])
    return any(_INSTALLS.match(" ".join([c.name, *c.args])) for c in scripts)


# --- is the lock in the image when the command runs? -----------------------------


# --- whether the lock still matches its manifest ----------------------------------
# The locked installs fail when it does not (`npm ci`: "package.json and
# package-lock.json are not in sync"; `--frozen-lockfile`, `--immutable`,
# `uv sync --locked`: the lock file needs to be updated). Where the lock
# plainly differs from the manifest, the install is reported, not rewritten.

_NPM_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


def _check_up_to_date(lock: str, context: Context) -> None:
    stale = None
    if lock in ("package-lock.json", "npm-shrinkwrap.json"):
        stale = _npm_stale(context.read(lock) or "", _package(context))
    elif lock == "yarn.lock":
        stale = _yarn_stale(context.read(lock) or "", _package(context))
    elif lock == "uv.lock":
        stale = _uv_stale(context)
    if stale is not None:
        manifest = "pyproject.toml" if lock == "uv.lock" else "package.json"
        raise Refuse(
            f"{lock} is there (it does not match {manifest}: {stale}; "
            "the locked install would fail)"
        )


def _package(context: Context) -> dict[str, object]:
    """package.json, parsed once per file (empty where absent or unreadable)."""
    if "lock-install:package.json" not in context.memo:
        try:
            package = json.loads(context.read("package.json") or "{}")
        except json.JSONDecodeError:
            package = {}
        context.memo["lock-install:package.json"] = package if isinstance(package, dict) else {}
    parsed = context.memo["lock-install:package.json"]
    assert isinstance(parsed, dict)
    return parsed


def _npm_stale(text: str, package: dict[str, object]) -> str | None:
    """How package-lock.json (lockfile version 2 or 3, which records the
    root's dependencies as package.json had them) differs from package.json."""
    try:
        lock = json.loads(text)
        root = lock["packages"][""]
    except (json.JSONDecodeError, KeyError, TypeError):
        return None  # version 1 keeps no copy of package.json's ranges
    if not isinstance(root, dict):
        return None
    for field in _NPM_FIELDS:
        wanted, locked = package.get(field) or {}, root.get(field) or {}
        if not isinstance(wanted, dict) or not isinstance(locked, dict):
            continue
        for name in sorted(set(wanted) | set(locked)):
            here, there = wanted.get(name), locked.get(name)
            if here != there:
                return f"`{name}` is {_spec(here)} in package.json, {_spec(there)} in the lock"
    return None


def _spec(value: object) -> str:
    return "absent" if value is None else f"`{value}`"


# An entry's header in yarn.lock: `"a@^1", a@^1.2:` (Yarn 1) or
# `"a@npm:^1, a@npm:^1.2":` (Yarn 2+), at the start of a line.
_YARN_HEADER = re.compile(r"^(\S.*):\s*$", re.M)


def _yarn_stale(text: str, package: dict[str, object]) -> str | None:
    """A dependency of package.json whose range has no entry in yarn.lock."""
    entries: set[str] = set()
    for header in _YARN_HEADER.findall(text):
        for spec in header.split(","):
            entries.add(spec.strip().strip('"'))
    if not entries:
        return None
    for field in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = package.get(field) or {}
        if not isinstance(deps, dict):
            continue
        for name, wanted in deps.items():
            if not isinstance(wanted, str):
                continue
            if ":" in wanted:  # another protocol (`workspace:`, `npm:`, `patch:`): not looked at
                continue
            if f"{name}@{wanted}" not in entries and f"{name}@npm:{wanted}" not in entries:
                return f"`{name}@{wanted}` has no entry in the lock"
    return None


def _requirement_key(requirement: str) -> tuple[str, str] | None:
    """A PEP 508 requirement's normalized name and version specifier (markers
    and extras aside), None where it is not a plain one."""
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;@]*)", requirement)
    if m is None or "@" in requirement.split(";")[0]:
        return None
    return _normalized(m.group(1)), _specifier(m.group(3))


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _specifier(text: str) -> str:
    return ",".join(sorted(p.strip() for p in text.replace(" ", "").split(",") if p.strip()))


def _uv_stale(context: Context) -> str | None:
    """A dependency of pyproject.toml's `[project]` that the project's entry
    in uv.lock (its `requires-dist`) does not record as written, or one it
    records that pyproject.toml no longer has."""
    pyproject, lock = _toml(context, "pyproject.toml"), _toml(context, "uv.lock")
    if pyproject is None or lock is None:
        return None
    project = pyproject.get("project", {})
    if not isinstance(project, dict) or not isinstance(project.get("name"), str):
        return None
    name = _normalized(project["name"])
    entry = next(
        (
            p
            for p in lock.get("package", [])
            if isinstance(p, dict) and _normalized(str(p.get("name", ""))) == name
        ),
        None,
    )
    if entry is None:
        return f"the lock has no entry for `{project['name']}`"
    recorded = entry.get("metadata", {}).get("requires-dist", [])  # none recorded: none
    dependencies = project.get("dependencies", [])
    if not isinstance(recorded, list) or not isinstance(dependencies, list):
        return None
    locked = {
        (_normalized(str(r.get("name", ""))), _specifier(str(r.get("specifier", ""))))
        for r in recorded
        if isinstance(r, dict) and "marker" not in r  # extras and markers: not compared
    }
    wanted = set()
    for requirement in dependencies:
        key = _requirement_key(str(requirement))
        if key is None or ";" in str(requirement):
            return None  # a direct reference or a marker: not compared
        wanted.add(key)
    for key in sorted(wanted - locked):
        return f"`{key[0]}{key[1]}` is not in the lock"
    extra_locked = {n for n, _ in locked} - {n for n, _ in wanted}
    optional = project.get("optional-dependencies") or {}
    if extra_locked and not optional:
        return f"the lock records `{sorted(extra_locked)[0]}`, which pyproject.toml no longer has"
    return None


def _check_available(lock: str, stage: Stage, node: Instruction, context: Context) -> None:
    workdir = "/"
    copied: set[str] = set()  # the folders the lock (or the context) was copied into
    for i in stage.instructions:
        if i is node:
            break
        reading = i.reading
        if i.keyword == "workdir" and reading.args:
            if "$" in reading.args[0]:
                raise Refuse(f"{lock} is there (the working directory is not literal)")
            workdir = posixpath.normpath(posixpath.join(workdir, reading.args[0]))
        elif (
            i.keyword in ("copy", "add") and reading.flag("from") is None and len(reading.args) > 1
        ):
            *sources, dest = reading.args
            target = posixpath.normpath(posixpath.join(workdir, dest))
            if any(s.rstrip("/") in (".", "") or _names(s, lock) for s in sources):
                copied.add(target)
    # Into the folder the install runs in (`COPY package*.json /app/` then
    # `WORKDIR /app` counts too).
    available = workdir in copied
    if node.reading.flags:
        for flag in node.reading.flags:
            if flag.name == "mount" and flag.value and lock in flag.value.split(","):
                available = True
            if flag.name == "mount" and flag.value and f"source={lock}" in flag.value:
                available = True
    if not available:
        raise Refuse(f"{lock} is in the build context (it is not copied where the install runs)")


def _names(source: str, lock: str) -> bool:
    """Whether a COPY source names `lock` (a path in the build context): as
    written (`./package-lock.json`) or by a pattern (`package*.json`)."""
    source = source.removeprefix("./")
    return source == lock or (any(c in source for c in "*?[") and fnmatchcase(lock, source))


# --- the finding ------------------------------------------------------------------


def _finding(
    tree: Dockerfile,
    stage: Stage,
    node: Instruction,
    rewrite: Rewrite,
    final: bool,
    context: Context,
) -> Finding:
    start = node.reading.rest_span.start
    fixed = edit_many(node, [(start + a, start + b, text) for a, b, text in rewrite.edits])
    edits = [Edit((node,), (fixed,))]
    if rewrite.env:
        env = dict(rewrite.env)
        name = context.dockerfile.name if context.dockerfile is not None else ""
        if final and not _DEV_NAME.search(name):
            env.setdefault("UV_COMPILE_BYTECODE", "1")
        keyword = "env" if node.keyword_as_written.islower() else "ENV"
        pairs = " ".join(f"{k}={v}" for k, v in env.items())
        new = instruction(f"{keyword}{tree.style.gap(keyword)}{pairs}{tree.newline}", tree.escape)
        anchor = _env_anchor(stage, node)
        if anchor is not None:
            edits.append(Edit((), (new,), after=anchor))
        else:
            edits = [Edit((node,), (new, fixed))]
    return Finding(
        RULE,
        node,
        f"`{rewrite.what}` resolves versions again although {rewrite.lock} pins them; "
        f"use `{rewrite.text}`",
        Fix(tuple(edits), Safety.UNSAFE, "Install from the lock", postcondition=POSTCONDITION),
    )


def _env_anchor(stage: Stage, node: Instruction) -> Instruction | None:
    """The stage's ENV that sets VIRTUAL_ENV, when nothing between it and `node`
    runs a uv command that UV_PROJECT_ENVIRONMENT would change."""
    body = list(stage.instructions)
    anchor = None
    for i in body[: body.index(node)]:
        if i.keyword == "env" and any(p.key == "VIRTUAL_ENV" for p in i.reading.pairs):
            anchor = i
    if anchor is None:
        return None
    for i in body[body.index(anchor) + 1 : body.index(node)]:
        if i.keyword == "run":
            cmds = commands(i.reading.rest)
            if cmds is None or any(c.name in ("uv", "uvx") for c in cmds):
                return None
    return anchor
