"""## What it does
Creates a `.dockerignore` in a build context that has none when the
Dockerfile copies the whole context (`COPY . <dest>` or `ADD . <dest>`). What
it leaves out depends on the project in the context:
- always `.git` and `.env`;
- in a Python project (a `pyproject.toml`, `setup.py`, `setup.cfg`,
  `requirements*.txt`, `Pipfile`, `uv.lock`, `poetry.lock` or a `*.py` file
  at its root): `**/__pycache__`, `**/*.pyc`, `.venv` and `*.sqlite3`;
- in a Node project (a `package.json`): `node_modules`.

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
__pycache__
*.pyc
.env
.venv
*.sqlite3
```

## Fix safety
Unsafe: files that were copied into the image before are not any more. A
build that reads `.env` or a checked-in SQLite database would change. What
the build is seen to need stays in:
- an entry that a `COPY`/`ADD` source or a bind mount of the file names
  (`COPY .env.production .env` keeps nothing out; `COPY .venv /venv` keeps
  `.venv` in);
- `.git` where a `RUN` of the file runs `git`, or where the Python project
  takes its version from Git (`setuptools-scm`, `hatch-vcs`, `versioningit`,
  `setuptools-git-versioning`, `dunamai`, `poetry-dynamic-versioning`,
  `uv-dynamic-versioning`, `pbr` or versioneer in its build files): without
  `.git` its install fails or gets version 0.0.0.

A `.dockerignore` pattern without `**/` matches at the context's root only
(BuildKit matches each pattern against the whole relative path), so the
bytecode caches, which sit in every package folder, get `**/`. The fix never edits an existing
`.dockerignore` (nor adds one when the Dockerfile has its own
`<Dockerfile>.dockerignore`); `--diff` shows the new file and `--write` creates it. When
dockfix reads stdin (no build context on disk to write to) the finding is
still computed from the folder of `--stdin-filename`, but no file is created.

The `.dockerignore` goes where BuildKit reads it: at the root of the build
context, which is `--build-context` when given, else the folder that holds
the Dockerfile's own `COPY`/`ADD` sources: the Dockerfile's folder, or the
one folder above it (up to the repository root) that holds them all, as for
`docker build -f docker/Dockerfile .` (see "Build context" in the README).
When no folder, or more than one, holds them, the context is unknown: the
finding says so, and no file is created.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from fnmatch import fnmatchcase

from dockfix.rule import Context, Finding, Fix, NewFile, Rule, Safety
from dockfix.shell import commands
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
_BUILD_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


def copies_whole_context(node: Instruction) -> bool:
    """COPY/ADD whose sources include the context root `.` (not from another stage)."""
    reading = node.reading
    if reading.keyword not in ("copy", "add") or reading.flag("from") is not None:
        return False
    sources = reading.args[:-1]
    return any(s in (".", "./") for s in sources)


def python_project(context: Context) -> bool:
    return any(context.exists(n) for n in _PYTHON_FILES) or any(
        context.glob(g) for g in _PYTHON_GLOBS
    )


def entries(tree: Dockerfile, context: Context) -> list[str]:
    """What the new `.dockerignore` leaves out: the project's usual clutter,
    less what the build is seen to need."""
    found = list(GENERIC)
    if python_project(context):
        found.extend(PYTHON)
    if context.exists("package.json"):
        found.extend(NODE)
    named = _named_sources(tree)
    kept = [e for e in found if not any(_covers(e, source) for source in named)]
    if ".git" in kept and (_runs_git(tree) or _git_version(context)):
        kept.remove(".git")
    return kept


def content(tree: Dockerfile, context: Context) -> str:
    return "\n".join(entries(tree, context)) + "\n"


def _named_sources(tree: Dockerfile) -> list[str]:
    """The context paths the file names: sources of COPY/ADD (not from a
    stage or an image) and of bind mounts (not from one), `./` and `/` trimmed."""
    names: list[str] = []
    for node in tree.instructions:
        reading = node.reading
        if reading.keyword in ("copy", "add") and reading.flag("from") is None:
            names.extend(reading.args[:-1])
        for flag in reading.flags:
            if flag.name != "mount" or not flag.value or "type=bind" not in flag.value:
                continue
            options = dict(o.partition("=")[::2] for o in flag.value.split(","))
            if "from" not in options:
                names.append(options.get("source", options.get("src", ".")))
    return [posixpath.normpath(n.lstrip("/")).removeprefix("./") for n in names]


def _covers(entry: str, source: str) -> bool:
    """Whether the entry would leave out `source`, something inside it, or
    something it may match (a source with wildcards)."""
    parts = source.split("/")
    if entry.startswith("**/"):
        return any(_either(part, entry[3:]) for part in parts)
    return _either(parts[0], entry)


def _either(name: str, pattern: str) -> bool:
    return fnmatchcase(name, pattern) or fnmatchcase(pattern, name)


def _runs_git(tree: Dockerfile) -> bool:
    for node in tree.instructions:
        if node.keyword != "run":
            continue
        texts = [" ".join(node.reading.args)] if node.reading.json else [node.reading.rest]
        texts.extend(h.content for h in node.heredocs)
        for text in texts:
            cmds = commands(text)
            if cmds is None:
                if re.search(r"\bgit\b", text):
                    return True
            elif any(c.name.rsplit("/", 1)[-1] == "git" for c in cmds):
                return True
    return False


def _git_version(context: Context) -> bool:
    return any(_GIT_VERSIONS.search(context.read(n) or "") for n in _BUILD_FILES)


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
        yield Finding(
            RULE,
            node,
            f"{what}, which has no .dockerignore" + (f" ({where})" if where else ""),
            Fix(
                (),
                Safety.UNSAFE,
                "Create .dockerignore",
                (NewFile(".dockerignore", content(tree, context)),),
            ),
        )
        return
