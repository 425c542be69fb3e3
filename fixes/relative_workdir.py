"""## What it does
Makes a relative `WORKDIR` absolute when the folder it is relative to is
known from the file: `WORKDIR src` after `WORKDIR /app` becomes
`WORKDIR /app/src`, `WORKDIR app` in a stage built `FROM scratch` (whose
working directory is `/`) becomes `WORKDIR /app`, and a stage built `FROM`
an earlier stage starts from that stage's folder. A variable is kept where
that reads the same (`WORKDIR $APP` → `WORKDIR /srv/$APP`). When the folder
comes from the base image, which the file does not show, the finding is
reported without a fix, unless the image is an official one whose folder its
Dockerfiles show: `/` for those that set none (`debian`, `ubuntu`, `alpine`,
`python`, `node`, `nginx`, … whatever the tag), whose stages start in `/`,
so `WORKDIR app` becomes `WORKDIR /app`; `/go` for `golang` (`WORKDIR app`
becomes `WORKDIR /go/app`), `/var/www/html` for php's apache and fpm images
(`/` for its cli and zts ones), `/usr/local/apache2` for `httpd`,
`/usr/local/tomcat` for `tomcat`, `/data` for `redis` (an unsafe fix). A
quoted absolute path (`WORKDIR "/app"`), which BuildKit's check reads before
the quotes go, loses its quotes when it needs none (safe: the same path).

## Why is this bad?
A relative `WORKDIR` is joined to whatever the working directory was. When
that is the base image's, the stage silently lands elsewhere once the image
changes its `WORKDIR` upstream (BuildKit's check WorkdirRelativePath). After
an earlier absolute `WORKDIR` it works, but the reader has to replay every
`WORKDIR` above to know where files go; hadolint's DL3000 asks for absolute
paths everywhere.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
WORKDIR src
```

Use instead:
```dockerfile
FROM python:3.12-slim
WORKDIR /app
WORKDIR /app/src
```

## Fix safety
Safe: the new path is the folder BuildKit resolves the relative one to
(NormalizeWorkdir: joined to the current folder and cleaned), so the image
config, the history and the folder `WORKDIR` creates are identical; the
engine checks that the build model is unchanged. The fix is only offered when
that folder is certain: not when the path or the folder before it depends on
a build argument (which `--build-arg` may change) or on the base image's
environment or working directory, nor for Windows paths (backslashes or a
drive letter), nor when comment lines inside the instruction would be lost.
`ONBUILD WORKDIR` is left alone: it runs in another build.

The fix on an official image's folder is unsafe: it relies on what dockfix
knows of that image (the `WORKDIR` its Dockerfiles end with, or none, so a
container starts in `/`), not on the file. Its post-condition reads the base
image's folder as that folder in the stages built on such an image and then
asks for the same build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from dockfix.editing import edit
from dockfix.gocompat import go_quote
from dockfix.images import default_workdir
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import (
    Point,
    differences,
    model,
    points,
    resolve_workdir,
    same_build,
    with_base_workdir,
)
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile, Instruction
from dockfix.words import is_unknown

RULE = Rule(
    code="DF030",
    name="relative-workdir",
    summary="Make a relative WORKDIR absolute when the folder it is relative to is known",
    safety=Safety.SAFE,
    hadolint="DL3000",
    buildkit="WorkdirRelativePath",
)
TRIGGERS = ("workdir",)  # one occurs in every file it reports on

_WINDOWS = re.compile(r"\\|^[A-Za-z]:")


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    if not any(
        node.keyword == "workdir" and node.reading.args and not node.reading.args[0].startswith("/")
        for node in tree.instructions
    ):
        return  # `_finding` gives None for a path written from `/` (expanded, it stays absolute)
    certain = points(tree)
    lint = points(tree, defaults=True)
    for node in tree.instructions:
        if node.keyword != "workdir" or id(node) not in certain or not node.reading.args:
            continue
        finding = _finding(tree, node, certain[id(node)], lint[id(node)])
        if finding is not None:
            yield finding


def _absolute(path: str) -> bool:
    """Absolute on Linux, or a Windows path that Windows reads as absolute."""
    return path.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:[\\/]", path))


def _literal_relative(raw: str) -> bool:
    """hadolint's DL3000: the text, quotes dropped, starts with neither `/` nor `$`."""
    text = raw.strip("\"'")
    return not text.startswith("$") and not _absolute(text)


_QUOTED_ABSOLUTE = re.compile(r"""(["'])(/[A-Za-z0-9_./@+:,=%-]*)\1""")


def _finding(tree: Dockerfile, node: Instruction, point: Point, lint: Point) -> Finding | None:
    raw = node.reading.args[0]
    quoted = _QUOTED_ABSOLUTE.fullmatch(raw)
    if quoted is not None:
        # BuildKit's check reads the path before the quotes go (`"/app"` does not
        # start with `/`); unquoted, it is the same absolute path.
        span = node.reading.rest_span
        if node.code[slice(*node.raw_span(span.start, span.end))] != raw:
            return None  # the path spans lines: left as written
        fixed = edit(node, span.start, span.end, quoted.group(2))
        return Finding(
            RULE,
            node,
            f"Relative workdir {raw} can have unexpected results if the base image "
            f"changes: without its quotes it reads as the absolute {quoted.group(2)}",
            Fix(
                (Edit((node,), (fixed,)),), Safety.SAFE, "Drop the quotes", postcondition=same_build
            ),
        )
    checked = lint.word(raw)  # what `docker build --check` sees (no --build-arg)
    buildkit = not lint.workdir_set and not is_unknown(checked) and not _absolute(checked)
    if not buildkit and not _literal_relative(raw):
        return None
    path = point.word(raw)  # what every build sees
    if not is_unknown(path) and path.startswith("/"):
        return None  # absolute in every build
    shown = checked if not is_unknown(checked) else raw
    message = (
        f"Relative workdir {go_quote(shown)} can have unexpected results if the base image changes"
        if buildkit
        else f"Relative workdir {go_quote(shown)}: write the absolute path"
    )
    # One post-condition for both kinds, as the engine checks every finding's
    # on the output of all of them (the same build where the base image's
    # folder is not read as `/`).
    safety, postcondition = Safety.SAFE, _same_build_from_root
    known = _known_root(tree, point)
    if known is not None:
        # The base image's folder, for an official image whose folder is known.
        point = replace(point, workdir=known)
        safety = Safety.UNSAFE
    why = _refusal(node, raw, path, point)
    if why is None and safety is Safety.UNSAFE and ".." in path.split("/"):
        why = "a `..` from the base image's folder"
    if why is not None:
        return Finding(RULE, node, f"{message}; not fixed: {why}")
    resolved = resolve_workdir(point.workdir, path)
    text = _spelling(raw, path, resolved, point)
    if text is None:
        return Finding(RULE, node, f"{message}; not fixed: {resolved!r} cannot be written plainly")
    span = node.reading.rest_span
    fixed = edit(node, span.start, span.end, text)
    return Finding(
        RULE,
        node,
        f"{message}: it is {resolved}",
        Fix((Edit((node,), (fixed,)),), safety, f"Use {text}", postcondition=postcondition),
    )


def _root_image(tree: Dockerfile, point: Point) -> str | None:
    """The image the stage's chain of stages starts from, as written."""
    with_from = [s for s in stages(tree) if s.from_ is not None]
    if point.stage >= len(with_from):
        return None
    return ancestry(stages(tree), with_from[point.stage])[-1].image


def _known_root(tree: Dockerfile, point: Point) -> str | None:
    """The base image's folder where no WORKDIR ran yet, on an official image
    whose folder is known (`images.default_workdir`: `/` where it sets none)."""
    if point.workdir_set or not is_unknown(point.workdir):
        return None
    image = _root_image(tree, point)
    return default_workdir(image) if image is not None else None


def _same_build_from_root(before: Dockerfile, after: Dockerfile) -> str | None:
    """The build is the same once the base image's working directory is read as
    the folder known for the official image the stage is built on."""
    return differences(
        with_base_workdir(model(before), default_workdir),
        with_base_workdir(model(after), default_workdir),
    )


def _refusal(node: Instruction, raw: str, path: str, point: Point) -> str | None:
    if any(_WINDOWS.search(p) for p in (raw, path, point.workdir)):
        return "a Windows path"
    if is_unknown(path):
        return "the path depends on a build argument or the base image's environment"
    if is_unknown(point.workdir):
        return (
            "the folder before it is not known from the file "
            "(the base image's, or one that depends on a build argument)"
        )
    a, b = node.raw_span(node.reading.rest_span.start, node.reading.rest_span.end)
    if len(node.lines) != len(node.parts) and "\n" in node.code[a:b]:
        return "comment lines inside the instruction would be lost"
    return None


_PLAIN = re.compile(r"[^$'\"`\\\s]*")


def _spelling(raw: str, path: str, resolved: str, point: Point) -> str | None:
    """The absolute text for `raw`: the folder in front of its variables when that
    reads the same, else the resolved path itself."""
    if not _PLAIN.fullmatch(resolved):
        return None
    if "$" in raw and _PLAIN.fullmatch(point.workdir):
        body = raw
        while body.startswith("./"):
            body = body[2:]
        text = point.workdir.rstrip("/") + "/" + body
        if point.word(text) == resolved:
            return text
    return resolved
