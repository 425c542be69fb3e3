"""## What it does
Creates a `.dockerignore` in a build context that has none when the
Dockerfile copies the whole context (`COPY . <dest>` or `ADD . <dest>`). It
leaves out `.git`, `__pycache__`, `*.pyc`, `.env`, `.venv`, `*.sqlite3`, and
`node_modules` when the context is a Node project (it has a `package.json`).

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
build that reads `.env` or a checked-in SQLite database, or a step that runs
`git` inside the image, would change. The fix never edits an existing
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

from collections.abc import Iterator

from dockfix.rule import Context, Finding, Fix, NewFile, Rule, Safety
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF012",
    name="dockerignore",
    summary="COPY . without a .dockerignore copies .git, caches and secrets",
    safety=Safety.UNSAFE,
)
TRIGGERS = ("copy", "add")  # one occurs in every file it reports on

BASE = (".git", "__pycache__", "*.pyc", ".env", ".venv", "*.sqlite3")


def copies_whole_context(node: Instruction) -> bool:
    """COPY/ADD whose sources include the context root `.` (not from another stage)."""
    reading = node.reading
    if reading.keyword not in ("copy", "add") or reading.flag("from") is not None:
        return False
    sources = reading.args[:-1]
    return any(s in (".", "./") for s in sources)


def content(context: Context) -> str:
    lines = list(BASE)
    if context.exists("package.json"):
        lines.append("node_modules")
    return "\n".join(lines) + "\n"


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
                (NewFile(".dockerignore", content(context)),),
            ),
        )
        return
