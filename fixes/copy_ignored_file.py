"""## What it does
Reports a `COPY` or `ADD` from the build context of a path that the
`.dockerignore` (or `<Dockerfile>.dockerignore`) leaves out, with BuildKit's
wording (CopyIgnoredFile).

## Why is this bad?
The path is not sent to the builder: the copy fails (`not found`), or, with
a wildcard or a folder, silently copies less than it says.

## Example
`.dockerignore` holds `*.md`, and:
```dockerfile
COPY README.md /app/
```

## Fix safety
No fix: either the ignore rule or the copy is wrong, and only the author
knows which. As in BuildKit, nothing is reported when the ignore file has
`!` exceptions (a folder may be ignored while a file in it is included), and
`.` is reported only when a pattern ignores everything (`*`, `**`, `**/*`).
Copies from another stage or image (`--from`) and heredocs are not checked.

The ignore file read is `<Dockerfile>.dockerignore` beside the Dockerfile
(BuildKit reads it wherever the context is), else the `.dockerignore` at the
root of the build context: `--build-context` when given, else the folder that
holds the Dockerfile's own `COPY`/`ADD` sources (its own folder, or the one
folder above it that holds them all; see "Build context" in the README).
When that is unknown (no folder, or several, hold them), only a
`<Dockerfile>.dockerignore` is checked.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockfix.dockerignore import excluded, parse
from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.semantics import points
from dockfix.tree import Dockerfile
from dockfix.words import is_unknown

RULE = Rule(
    code="DF038",
    name="copy-ignored-file",
    summary="COPY/ADD of a path the .dockerignore leaves out (reported, not fixed)",
    safety=Safety.SAFE,
    buildkit="CopyIgnoredFile",
    fixable=False,
)
TRIGGERS = ("copy", "add")  # one occurs in every file it reports on


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    text = context.ignore_file()
    if text is None:
        return
    patterns = parse(text)
    raw = [line.strip() for line in text.splitlines()]
    if not patterns or any(line.startswith("!") for line in raw):
        return
    root_ignored = any(line in ("*", "**", "**/*") for line in raw)
    found = points(tree, defaults=True)
    for node in tree.instructions:
        point = found.get(id(node))
        reading = node.reading
        if point is None or reading.keyword not in ("copy", "add") or reading.flag("from"):
            continue
        heredocs = {h.spec.name for h in node.heredocs}
        what = "Copy" if reading.keyword == "copy" else "Add"
        for source in reading.args[:-1]:
            if source.startswith("<<") and source.lstrip("<-").strip("'\"") in heredocs:
                continue
            value = point.word(source)
            if is_unknown(value) or "://" in value or value.startswith("git@"):
                continue
            path = posixpath.normpath(value)
            if path in (".", "/") and not root_ignored:
                continue
            if excluded(path, patterns):
                yield Finding(
                    RULE,
                    node,
                    f'Attempting to {what} file "{path}" that is excluded by .dockerignore'
                    "; not fixed: either the ignore rule or the copy is wrong",
                )
