"""## What it does
Ends the destination of a `COPY` or `ADD` with several sources with `/`:
`COPY package.json package-lock.json /app` becomes
`COPY package.json package-lock.json /app/`, and `COPY a b .` becomes
`COPY a b ./`. A single source with a wildcard that matches several files of
the build context counts as several sources.

## Why is this bad?
With several sources the destination must be a folder, and Docker's
reference asks for a final `/`. The classic builder (and Podman, Kaniko and
older Docker) fails with "When using COPY with more than one source file, the
destination must be a directory and end with a /". BuildKit does not fail:
when the destination does not exist yet it copies every file *onto the same
path*, one after the other, and the image ends up with one file called `app`
holding the last source (moby/buildkit#1853).

## Example
```dockerfile
COPY package.json package-lock.json /app
```

Use instead:
```dockerfile
COPY package.json package-lock.json /app/
```

## Fix safety
Safe when BuildKit builds the same thing either way:
- the destination is `.`: BuildKit reads `.` as `./` (pathRelativeToWorkingDir
  in dockerfile2llb), so the build graph is identical;
- the destination is the working directory a `WORKDIR` of the stage set, with
  no instruction between them that changes files (`RUN`, `COPY`, `ADD`): the
  folder exists, and a copy into an existing folder puts the sources inside
  it with or without the `/`.

Otherwise the fix is unsafe: it changes what BuildKit builds, from one file
overwritten by each source into a folder holding them all, which is what the
instruction means. A destination ending in `/.` (BuildKit keeps that form),
or in the escape character, is only reported, as is one that may expand to
nothing (`$DEST`: BuildKit reads an empty destination as the working
directory, where a `/` would make it the root); a variable the file sets with
an `ENV` of a known value cannot (`ENV APP=/srv/app`, `COPY a b $APP`), a
build argument can whatever its default. Quotes are kept (`"/app"`
becomes `"/app/"`); a JSON-form destination gets the `/` inside its string.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockfix import contextfiles
from dockfix.editing import edit
from dockfix.rewrites import dest_gains_slash, rewrites
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import Point, points
from dockfix.stages import stages
from dockfix.tree import Dockerfile, Instruction
from dockfix.words import WordError, is_unknown, process_word, unknown

RULE = Rule(
    code="DF051",
    name="copy-dest-slash",
    summary="COPY/ADD with several sources: the destination ends with /",
    safety=Safety.UNSAFE,
    hadolint="DL3021",
)
TRIGGERS = ("copy", "add")  # one occurs in every file it reports on
# What BuildKit must read in the output: only destinations gain a final `/`.
POSTCONDITION = rewrites(dest_gains_slash)
# Instructions between a WORKDIR and a COPY that cannot remove or replace the folder.
_NO_FILE_CHANGES = frozenset(
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
        "volume",
        "maintainer",
        "onbuild",
    }
)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    at: dict[int, Point] | None = None
    for stage in stages(tree):
        if stage.from_ is None:
            continue
        for n, node in enumerate(stage.instructions):
            if node.keyword not in ("copy", "add"):
                continue
            if at is None:
                at = points(tree)
            finding = _check(tree, context, node, stage.instructions[:n], at.get(id(node)))
            if finding is not None:
                yield finding


def _sources(node: Instruction, context: Context) -> int | None:
    """How many sources the instruction copies (wildcards expanded from the
    context where it is known); None when it cannot be said."""
    reading = node.reading
    sources = list(reading.args[:-1])
    if len(sources) != 1 or not contextfiles.has_wildcard(sources[0]):
        return len(sources)
    if reading.flag("from") is not None or "$" in sources[0]:
        return None
    matches = contextfiles.expand(context, _unquoted(sources[0], node.escape) or "")
    return None if matches is None else len(matches)


def _unquoted(word: str, escape: str) -> str | None:
    try:
        return process_word(word, lambda name: unknown(name), escape)
    except WordError:
        return None


def _check(
    tree: Dockerfile,
    context: Context,
    node: Instruction,
    before: tuple[Instruction, ...],
    point: Point | None,
) -> Finding | None:
    reading = node.reading
    if len(reading.args) < 2:
        return None
    count = _sources(node, context)
    if count is None or count < 2:
        return None
    dest = reading.args[-1]
    value = dest if reading.json else _unquoted(dest, node.escape)
    if value is None or value.endswith("/"):
        return None
    keyword = node.keyword.upper()
    message = (
        f"{keyword} with several sources: end the destination with `/` "
        "(BuildKit would copy each source onto the same path)"
    )
    if value.endswith("/.") or dest.endswith(node.escape):
        return Finding(RULE, node, message)
    if not reading.json and _may_be_empty(dest, node.escape, point):
        # An empty destination is the working directory (BuildKit adds the
        # `/` itself); with `/` after it, it would be the root.
        return Finding(
            RULE,
            node,
            f"{message} (not fixed: the destination may expand to nothing, which BuildKit "
            "reads as the working directory, where a `/` after it would be the root)",
        )
    fixed = _with_slash(node)
    if fixed is None:
        return Finding(RULE, node, message)
    safe = value == "." or _is_workdir(value, before, node.escape)
    return Finding(
        RULE,
        node,
        message,
        Fix(
            (Edit((node,), (fixed,)),),
            Safety.SAFE if safe else Safety.UNSAFE,
            "End the destination with /",
            postcondition=POSTCONDITION,
        ),
    )


def _may_be_empty(word: str, escape: str, point: Point | None) -> bool:
    """Whether the word is nothing when its variables are empty (`$DEST`):
    those the file sets with an `ENV` of a known value are not; a build
    argument's default is no promise (`--build-arg DEST=` empties it)."""

    def value(name: str) -> str:
        found = point.lookup(name) if point is not None else None
        return "" if found is None or is_unknown(found) else found

    try:
        return process_word(word, value, escape) == ""
    except WordError:
        return True


def _with_slash(node: Instruction) -> Instruction | None:
    """The instruction with `/` at the end of its destination, quotes kept."""
    reading = node.reading
    if reading.json:
        rest = reading.rest
        close = rest.rstrip().rfind("]")
        quote = rest.rfind('"', 0, close)
        if close < 0 or quote < 0:
            return None
        at = reading.rest_span.start + quote
    else:
        word = reading.words[-1]
        at = word.span.end
        if word.text[-1:] in ("'", '"') and len(word.text) >= 2:
            at -= 1
    fixed = edit(node, at, at, "/")
    new_dest = (
        fixed.reading.args[-1] if reading.json else _unquoted(fixed.reading.args[-1], node.escape)
    )
    old_dest = reading.args[-1] if reading.json else _unquoted(reading.args[-1], node.escape)
    if (
        old_dest is None
        or new_dest != old_dest + "/"
        or len(fixed.reading.args) != len(reading.args)
    ):
        return None
    return fixed


def _is_workdir(dest: str, before: tuple[Instruction, ...], escape: str) -> bool:
    """Whether `dest` is the folder a WORKDIR above set, with nothing between
    them that could have removed it (copies into it cannot)."""
    copies: list[Instruction] = []
    for node in reversed(before):
        if node.keyword == "workdir":
            path = _unquoted(node.reading.args[0], escape) if node.reading.args else None
            if path is None or not path.startswith("/") or "\x00" in path:
                return False
            folder = _clean(path)
            return (
                dest.startswith("/")
                and _clean(dest) == folder
                and all(_copies_into(c, folder, escape) for c in copies)
            )
        if node.keyword in ("copy", "add"):
            copies.append(node)
        elif node.keyword not in _NO_FILE_CHANGES:
            return False
    return False


def _copies_into(node: Instruction, folder: str, escape: str) -> bool:
    """Whether a COPY/ADD writes inside `folder` (the working directory)."""
    if not node.reading.args:
        return False
    dest = _unquoted(node.reading.args[-1], escape)
    if dest is None or "\x00" in dest:
        return False
    path = _clean(dest if dest.startswith("/") else f"{folder}/{dest}")
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _clean(path: str) -> str:
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned
