"""## What it does
Creates a `.dockerignore` in a build context that has none when the
Dockerfile copies the whole context (`COPY . <dest>` or `ADD . <dest>`). What
it leaves out depends on the project in the context:
- `.git` and `.env`;
- in a Python project (a `pyproject.toml`, `setup.py`, `setup.cfg`,
  `requirements*.txt`, `Pipfile`, `uv.lock`, `poetry.lock` or a `*.py` file
  at its root, or a `pyproject.toml`/`setup.py`/`setup.cfg` one or two
  folders below it): `**/__pycache__`, `**/*.pyc`, `.venv` (`**/.venv` when
  there are packages below the root) and `*.sqlite3`;
- in a Node project (a `package.json` at the root, or one or two folders
  below it) whose dependencies a `RUN` of the file installs (`npm ci`,
  `npm install`/`npm i`, `yarn`/`yarn install`, `pnpm install`/`pnpm i`,
  `bun install`; not `-g`): `node_modules` (`**/node_modules` when there are
  packages below the root).

## Why is this bad?
Without a `.dockerignore`, `COPY . .` sends everything to the builder and
into the image: the Git history, local virtual environments and
`node_modules` built for another platform, bytecode caches, local databases,
and `.env` files that often hold secrets. Every change to any of them also
invalidates the layer cache of the copy and of every step after it.

## Example
A context with `Dockerfile`, `app.py`, `.venv/` and `.git/`, and:
```dockerfile
COPY . .
```

Add `.dockerignore`:
```
.git
.env
**/__pycache__
**/*.pyc
.venv
*.sqlite3
```

## Fix safety
Unsafe: files that were copied into the image before are not any more. A
build that reads `.env` or a checked-in SQLite database would change. What
the build is seen to need stays in:
- an entry that a `COPY`/`ADD` source or a bind mount of the file names
  (`COPY .env.production .env` keeps nothing out; `COPY .venv /venv` keeps
  `.venv` in); a variable in a source may name anything (it matches every
  entry);
- an entry matching any part of the source of a `COPY --from=<stage>` (or a
  mount `from=<stage>`) where that stage holds what the context held: it
  copies the context whole, is built FROM such a stage, or copies from one
  (`COPY --from=builder /app/.env /.env` after the builder's `COPY . .` keeps
  `.env` in). A stage that never had the context (a `deps` stage that only
  ran `npm ci`) does not count;
- `node_modules` when no `RUN` installs the dependencies: a `node_modules`
  installed before `docker build` (by CI) is what the image runs with;
- `.git` where a `RUN` of the file runs `git`; where a Python build file
  (`pyproject.toml`, `setup.py`, `setup.cfg` at the root or one or two
  folders below it, as in a monorepo) takes the version from Git
  (`setuptools-scm`, `hatch-vcs`, `versioningit`, `setuptools-git-versioning`,
  `dunamai`, `poetry-dynamic-versioning`, `uv-dynamic-versioning`, `pbr` or
  versioneer), or a `setup.py` mentions `git` (it may run `git describe`);
  and where a `RUN` runs `make` and the context's `Makefile` mentions `git`:
  without `.git` the install or the build fails, or gets version 0.0.0;
- `.env` where the context has one and a `package.json` depends on a
  framework whose build reads it (`next`, `vite`, `nuxt`, `@sveltejs/kit`,
  `react-scripts`, `gatsby`): its public variables are built into the
  bundle, and the build would silently lose them.

A Dockerfile template (`Dockerfile.in`, `Dockerfile.j2`, `*.tmpl`,
`*.template`, ROS's `*.Dockerfile.em`, …), which a generator turns into the
Dockerfile that is built, from a context dockfix does not see, gets a
report and no file.

A `.dockerignore` at the context's root applies to every Dockerfile built
from that context, so the other Dockerfiles at the context's root and in the
Dockerfile's own folder (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`,
`*.dockerfile`, `Containerfile*`) are read too, and what any of them names or
needs (by the rules above; `node_modules` stays in when one of them copies
the context whole and installs nothing) stays in: each Dockerfile of the
folder gets the same new file. One with its own `<Dockerfile>.dockerignore`
is not affected and does not count, nor does one that does not parse (BuildKit
cannot build it). When the build needs everything the file would leave out,
the finding has no fix.

A `.dockerignore` pattern without `**/` matches at the context's root only
(BuildKit matches each pattern against the whole relative path), so the
bytecode caches, which sit in every package folder, get `**/`. The fix never
edits an existing `.dockerignore` (nor adds one when the Dockerfile has its
own `<Dockerfile>.dockerignore`); `--diff` shows the new file and `--write`
creates it. When dockfix reads stdin (no build context on disk to write to)
the finding is still computed from the folder of `--stdin-filename`, but no
file is created.

The `.dockerignore` goes where BuildKit reads it: at the root of the build
context, which is `--build-context` when given, else the folder that holds
the Dockerfile's own `COPY`/`ADD` sources: the Dockerfile's folder, or the
one folder above it (up to the repository root) that holds them all, as for
`docker build -f docker/Dockerfile .` (see "Build context" in the README).
When no folder, or more than one, holds them, the context is unknown: the
finding says so, and no file is created.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from dockfix.packages import mounts
from dockfix.rule import Context, Finding, Fix, NewFile, Rule, Safety, name_matches
from dockfix.shell import commands
from dockfix.stages import stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF012",
    name="dockerignore",
    summary="COPY . without a .dockerignore copies .git, caches and secrets",
    safety=Safety.UNSAFE,
)
TRIGGERS = ("copy", "add")  # one occurs in every file it reports on

GENERIC = (".git", ".env")
PYTHON = ("**/__pycache__", "**/*.pyc", ".venv", "*.sqlite3")
NODE = ("node_modules",)
# What marks the context's root as a Python project.
_PYTHON_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "uv.lock", "poetry.lock")
_PYTHON_GLOBS = ("requirements*.txt", "*.py")
# Build backends and plugins that read the version from Git: they need `.git`.
_GIT_VERSIONS = re.compile(
    r"setuptools[-_]scm|use_scm_version|hatch[-_]vcs|versioningit|setuptools[-_]git[-_]versioning"
    r"|dunamai|poetry[-_]dynamic[-_]versioning|uv[-_]dynamic[-_]versioning|\bpbr\b|versioneer",
    re.IGNORECASE,
)
_GIT_WORD = re.compile(r"\bgit\b")
_BUILD_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
_MAKEFILES = ("Makefile", "makefile", "GNUmakefile")
# The folders below the root where a project's build files are looked for:
# the root, and one or two folders down (a monorepo's packages).
_LEVELS = ("", "*/", "*/*/")
# Folders whose build files are not the project's (installed packages, tools' state).
_NOT_THE_PROJECT = re.compile(r"(^|/)(node_modules|\.[^/]*)/")
# Frameworks whose build reads `.env` (and inlines its public variables).
_ENV_AT_BUILD = ("next", "vite", "nuxt", "@sveltejs/kit", "react-scripts", "gatsby")
# Names of the Dockerfiles that may share the build context.
_DOCKERFILES = ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile", "Containerfile*")
# Node package managers' commands that install a project's dependencies.
_NODE_INSTALLS = {
    "npm": {"ci", "install", "i", "clean-install", "ic", "install-clean", "add"},
    "pnpm": {"install", "i", "add"},
    "bun": {"install", "i", "add"},
    "yarn": {"", "install", "add"},
}
_NODE_INSTALL_TEXT = re.compile(
    r"\b(npm\s+(ci|install|i)|yarn(\s+install)?|pnpm\s+(install|i)|bun\s+install)\b"
)
_VARIABLE = re.compile(r"\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class Needs:
    """What one Dockerfile is seen to need from its build context."""

    named: list[str] = field(default_factory=list)  # COPY/ADD/bind-mount sources
    staged: list[str] = field(default_factory=list)  # copied from a stage that had the context
    runs_git: bool = False
    runs_make: bool = False
    installs_node: bool = False
    copies_context: bool = False


def copies_whole_context(node: Instruction) -> bool:
    """COPY/ADD whose sources include the context root `.` (not from another stage)."""
    reading = node.reading
    if reading.keyword not in ("copy", "add") or reading.flag("from") is not None:
        return False
    sources = reading.args[:-1]
    return any(s in (".", "./") for s in sources)


def needs(tree: Dockerfile) -> Needs:
    """What `tree` is seen to need from its build context."""
    found = Needs()
    all_stages = [s for s in stages(tree) if s.from_ is not None]
    names = {s.name: i for i, s in enumerate(all_stages) if s.name is not None}

    def stage_of(ref: str | None) -> int | None:
        if ref is None:
            return None
        if ref.isdecimal():
            return int(ref) if int(ref) < len(all_stages) else None
        return names.get(ref.lower())

    # The stages that hold what the context held: they copy it whole, are built
    # FROM such a stage, or copy (or mount) from one.
    had: set[int] = set()
    grew = True
    while grew:
        grew = False
        for i, stage in enumerate(all_stages):
            if i in had:
                continue
            if stage_of(stage.image) in had or any(
                copies_whole_context(n) or any(stage_of(r) in had for r, _ in _from_stage(n))
                for n in stage.instructions
            ):
                had.add(i)
                grew = True
    for node in tree.instructions:
        reading = node.reading
        if reading.keyword in ("copy", "add") and reading.flag("from") is None:
            found.named.extend(reading.args[:-1])
        found.copies_context = found.copies_context or copies_whole_context(node)
        for ref, source in _from_stage(node):
            if ref is None:
                found.named.append(source)
            elif stage_of(ref) in had:
                found.staged.append(source)
        if node.keyword == "run":
            _read_run(node, found)
    found.named = [_context_path(n) for n in found.named]
    found.staged = [_context_path(n) for n in found.staged]
    return found


def _from_stage(node: Instruction) -> Iterator[tuple[str | None, str]]:
    """(where from, source) of what `node` copies or mounts from elsewhere than
    the context: `COPY --from=<ref> <sources>` and `--mount=...,from=<ref>`;
    a bind mount of the context gives (None, source)."""
    reading = node.reading
    ref = reading.flag("from")
    if reading.keyword in ("copy", "add") and ref is not None and ref.value:
        for source in reading.args[:-1]:
            yield ref.value, source
    for mount in mounts(node):
        source = mount.get("source", mount.get("src", "."))
        if "from" in mount:
            yield mount["from"], source
        elif mount["type"] == "bind":
            yield None, source


def _read_run(node: Instruction, found: Needs) -> None:
    texts = [" ".join(node.reading.args)] if node.reading.json else [node.reading.rest]
    texts.extend(h.content for h in node.heredocs)
    for text in texts:
        cmds = commands(text)
        if cmds is None:
            found.runs_git = found.runs_git or bool(_GIT_WORD.search(text))
            found.runs_make = found.runs_make or bool(re.search(r"\bg?make\b", text))
            found.installs_node = found.installs_node or bool(_NODE_INSTALL_TEXT.search(text))
            continue
        for c in cmds:
            name = c.name.rsplit("/", 1)[-1]
            found.runs_git = found.runs_git or name == "git"
            found.runs_make = found.runs_make or name in ("make", "gmake")
            found.installs_node = found.installs_node or _installs_node(name, c.args)


def _installs_node(name: str, args: list[str]) -> bool:
    """Whether `name args` installs a Node project's dependencies (not a global tool)."""
    verbs = _NODE_INSTALLS.get(name)
    if verbs is None or any(a in ("-g", "--global") for a in args) or args[:1] == ["global"]:
        return False
    words = [a for a in args if not a.startswith("-")]
    return (words[0] if words else "") in verbs


def _context_path(source: str) -> str:
    """A source as a context path: `./` and `/` trimmed, variables as `*`
    (they may name anything)."""
    path = posixpath.normpath(source.lstrip("/")).removeprefix("./")
    return _VARIABLE.sub("*", path)


def _siblings(context: Context) -> Iterator[str]:
    """The text of the other Dockerfiles that the new `.dockerignore` would
    apply to: at the context's root and in the Dockerfile's own folder, less
    those with their own `<Dockerfile>.dockerignore`."""
    folders = [""]
    own = None
    if context.dockerfile is not None and context.build_context is not None:
        try:
            relative = context.dockerfile.resolve().relative_to(context.build_context.resolve())
        except (ValueError, OSError):
            relative = None
        if relative is not None:
            own = relative.as_posix()
            if relative.parent.as_posix() != ".":
                folders.append(relative.parent.as_posix() + "/")
    seen: set[str] = set()
    for folder in folders:
        for pattern in _DOCKERFILES:
            for name in context.glob(folder + pattern):
                if name == own or name in seen or name.endswith(".dockerignore"):
                    continue
                seen.add(name)
                if context.exists(name + ".dockerignore"):
                    continue
                text = context.read(name)
                if text is not None:
                    yield text


def _group(tree: Dockerfile, context: Context) -> list[Needs]:
    """The needs of the Dockerfile and of the others sharing its context."""
    memo = context.memo.get("dockerignore:siblings")
    others: list[Needs] = memo if isinstance(memo, list) else []
    if not isinstance(memo, list):  # read once per file, not once per round
        others = [n for n in map(_sibling_needs, _siblings(context)) if n is not None]
        context.memo["dockerignore:siblings"] = others
    return [needs(tree), *others]


@functools.lru_cache(maxsize=512)
def _sibling_needs(text: str) -> Needs | None:
    """The needs of another Dockerfile's text, None if it does not parse
    (BuildKit cannot build it either). Kept by text: in a bulk run, the
    Dockerfiles of one folder are each other's siblings, and each would parse
    all the others again (not mutated by the callers)."""
    from dockfix.parser import parse

    try:
        return needs(parse(text))
    except (ValueError, RecursionError):
        return None


def _project_files(context: Context, name: str) -> list[str]:
    """`name` at the context's root and one or two folders below it (not in
    node_modules or a dot-folder)."""
    return [
        path
        for level in _LEVELS
        for path in context.glob(level + name)
        if not _NOT_THE_PROJECT.search(path)
    ]


def python_project(context: Context) -> bool:
    return any(context.exists(n) for n in _PYTHON_FILES) or any(
        context.glob(g) for g in _PYTHON_GLOBS
    )


def _python_below(context: Context) -> bool:
    return any("/" in p for n in _BUILD_FILES for p in _project_files(context, n))


def entries(tree: Dockerfile, context: Context) -> list[str]:
    """What the new `.dockerignore` leaves out: the project's usual clutter,
    less what the build (of this Dockerfile, or of another one sharing its
    context) is seen to need."""
    group = _group(tree, context)
    found = list(GENERIC)
    below = _python_below(context)
    if python_project(context) or below:
        found.extend("**/.venv" if e == ".venv" and below else e for e in PYTHON)
    manifests = _project_files(context, "package.json")
    if (
        manifests
        and any(n.installs_node for n in group)
        and not any(n.copies_context and not n.installs_node for n in group)
    ):
        found.append("**/node_modules" if any("/" in m for m in manifests) else "node_modules")
    named = [s for n in group for s in n.named]
    staged = [s for n in group for s in n.staged]
    kept = [
        e
        for e in found
        if not any(_covers(e, s) for s in named) and not any(_anywhere(e, s) for s in staged)
    ]
    if ".git" in kept and (
        any(n.runs_git for n in group)
        or _git_build(context)
        or (any(n.runs_make for n in group) and _git_make(context))
    ):
        kept.remove(".git")
    if ".env" in kept and context.exists(".env") and _env_at_build(context, manifests):
        kept.remove(".env")
    return kept


def content(tree: Dockerfile, context: Context) -> str:
    return "\n".join(entries(tree, context)) + "\n"


def _covers(entry: str, source: str) -> bool:
    """Whether the entry would leave out `source`, something inside it, or
    something it may match (a source with wildcards)."""
    if entry.startswith("**/"):
        return _anywhere(entry, source)
    return _either(source.split("/")[0], entry)


def _anywhere(entry: str, source: str) -> bool:
    """Whether the entry matches a part of the path `source`."""
    pattern = entry.removeprefix("**/")
    return any(_either(part, pattern) for part in source.split("/"))


def _either(name: str, pattern: str) -> bool:
    """Whether `name` matches `pattern`, or (a source with wildcards) `pattern`
    matches it; plain text on both sides is compared as such (fnmatch would
    compile a pattern for every source)."""
    return name_matches(name, pattern) or name_matches(pattern, name)


def _git_build(context: Context) -> bool:
    """Whether a Python build file takes the version from Git, or (setup.py)
    runs git."""
    for name in _BUILD_FILES:
        for path in _project_files(context, name):
            text = context.read(path) or ""
            if _GIT_VERSIONS.search(text) or (name == "setup.py" and _GIT_WORD.search(text)):
                return True
    return False


def _git_make(context: Context) -> bool:
    return any(_GIT_WORD.search(context.read(n) or "") for n in _MAKEFILES)


def _env_at_build(context: Context, manifests: list[str]) -> bool:
    """Whether a package.json depends on a framework whose build reads `.env`."""
    for path in manifests:
        text = context.read(path) or ""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if any(f'"{name}"' in text for name in _ENV_AT_BUILD):
                return True
            continue
        for key in ("dependencies", "devDependencies", "peerDependencies"):
            deps = data.get(key)
            if isinstance(deps, dict) and any(name in deps for name in _ENV_AT_BUILD):
                return True
    return False


# Names of Dockerfile templates that a generator turns into Dockerfiles
# (`Dockerfile.in`, `Dockerfile.j2`, ROS's `*.Dockerfile.em`).
_TEMPLATE = re.compile(
    r"\.(?:in|j2|jinja2?|tmpl|tpl|template|erb|mustache|hbs|em|m4|gotmpl|ejs)\Z", re.IGNORECASE
)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    if context.ignore_file() is not None:
        return  # `<Dockerfile>.dockerignore`, or the context's own
    for node in tree.instructions:
        if not copies_whole_context(node):
            continue
        what = f"{node.keyword.upper()} . copies the whole build context"
        if context.build_context is None:
            yield Finding(
                RULE,
                node,
                f"{what}; whether it has a .dockerignore is not known: {context.unknown()}",
            )
            return
        where = context.elsewhere()
        message = f"{what}, which has no .dockerignore" + (f" ({where})" if where else "")
        if context.dockerfile is not None and _TEMPLATE.search(context.dockerfile.name):
            # A generator writes the Dockerfile built from this one, and its
            # context, elsewhere: a .dockerignore here may be nobody's.
            yield Finding(
                RULE,
                node,
                f"{message}; not created: `{context.dockerfile.name}` is a template, whose "
                "Dockerfile is built from a context dockfix does not see",
            )
            return
        left_out = entries(tree, context)
        if not left_out:
            yield Finding(RULE, node, f"{message}; the build needs all it would leave out")
            return
        yield Finding(
            RULE,
            node,
            message,
            Fix(
                (),
                Safety.UNSAFE,
                "Create .dockerignore",
                (NewFile(".dockerignore", "\n".join(left_out) + "\n"),),
            ),
        )
        return
