"""## What it does
Reports a variable that an instruction expands (`ENV`, `LABEL`, `ARG`
defaults, `WORKDIR`, `USER`, `VOLUME`, `STOPSIGNAL`, `COPY`/`ADD` paths,
flags and heredocs, `RUN --mount` values) before any `ARG` or `ENV` of the
stage defines it, with BuildKit's wording, and BuildKit's suggestion when a
defined variable is at most two edits away (`$PAHT` → `$PATH`).

## Why is this bad?
BuildKit expands an undefined variable to the empty string without failing:
`COPY $SRC /app` copies the whole context, `ENV PATH=$PAHT:/app/bin` drops the
system folders from `PATH`. BuildKit's check UndefinedVar reports it.
Variables in shell-form `RUN`, `CMD` and `ENTRYPOINT` are the shell's and are
not checked.

## Example
```dockerfile
FROM alpine
ARG VERSION=1.0
COPY app-$VERSON.tar.gz /app/
```

Use instead:
```dockerfile
FROM alpine
ARG VERSION=1.0
COPY app-$VERSION.tar.gz /app/
```

## Fix safety
No fix: which variable was meant, or whether it should be a new `ARG`, is the
author's decision, and even a one-letter misspelling may name a variable
the base image sets. The scope is BuildKit's: `ENV` and `ARG` of the stage
and of the stages it is built `FROM` (an `ARG` without a value counts as
defined), not the global `ARG`s unless redeclared in the stage, and the
reading is that of a build without `--build-arg`. The base image's
environment is not in the file: in a stage built from an image, a variable
the image sets (such as `PYTHON_VERSION` in `python`) is reported here but
not by BuildKit, which reads the image, so the message says so; a stage
built `FROM scratch` has only `PATH`. What the official images set in
every variant (`PHP_INI_DIR` in `php`, `PYTHON_VERSION` in `python`,
`NODE_VERSION`, `GOPATH`, `JAVA_HOME` in `eclipse-temurin`, `PGDATA` in
`postgres`, …: `images.official_env`) counts as defined.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.buildkit_checks import expanded_words, referenced, suggest
from dockfix.images import official_env
from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.semantics import Point, points
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF032",
    name="undefined-var",
    summary="A variable used before any ARG or ENV defines it (reported, not fixed)",
    safety=Safety.SAFE,
    buildkit="UndefinedVar",
    fixable=False,
)
TRIGGERS = ("$",)  # one occurs in every file it reports on

# BuildKit never reports these (convert.go: nonEnvArgs).
_NON_ENV_ARGS = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    found: dict[int, Point] | None = None  # computed for the first node that needs it
    image_envs: list[frozenset[str]] | None = None  # likewise, by stage
    for node in tree.instructions:
        if not _expands(node):
            continue  # nothing to look up: no finding
        if found is None or image_envs is None:
            found = points(tree, defaults=True)
            image_envs = _image_envs(tree)
        point = found.get(id(node))
        if point is not None:
            known = point.base_env_unknown and point.stage < len(image_envs)
            image_env = image_envs[point.stage] if known else frozenset()
            yield from _findings(node, point, image_env)


def _image_envs(tree: Dockerfile) -> list[frozenset[str]]:
    """For each stage with a FROM, what the official image its chain starts
    from sets in its environment (`images.official_env`), which BuildKit reads
    from it."""
    all_stages = stages(tree)
    return [
        official_env(ancestry(all_stages, stage)[-1].image)
        for stage in all_stages
        if stage.from_ is not None
    ]


def _expands(node: Instruction) -> bool:
    """Whether a text `_findings` expands holds a `$` (only `$` looks a variable up)."""
    if node.keyword == "arg":
        return any("$" in word.partition("=")[2] for word in node.reading.args)
    return any("$" in text for text, _ in expanded_words(node))


def _findings(node: Instruction, point: Point, image_env: frozenset[str]) -> Iterator[Finding]:
    extra: list[str] = []  # ARGs declared earlier in the same ARG instruction
    valued: list[str] = []  # those of them with a value (BuildKit's options)

    def defined(name: str) -> bool:
        return (
            name in _NON_ENV_ARGS
            or name in image_env
            or name in point.declared
            or name in extra
            or any(key == name for key, _ in point.env)
        )

    missing: list[str] = []
    if node.keyword == "arg":
        for word in node.reading.args:
            name, eq, default = word.partition("=")
            if eq:
                missing += referenced(default, defined, point.escape)
            extra.append(name)
            if eq:
                valued.append(name)
    else:
        for text, quotes in expanded_words(node):
            if not quotes:  # a heredoc body: quotes are text, `\` escapes
                text = text.replace("'", " ").replace('"', " ")
            missing += referenced(text, defined, point.escape if quotes else "\\")
    options = ["PATH", *(key for key, _ in point.env), *(key for key, _ in point.args), *valued]
    options = list(dict.fromkeys(options))
    seen: set[str] = set()
    for name in missing:
        if name in seen:
            continue
        seen.add(name)
        if point.base_env_unknown and name == "PATH":
            continue  # BuildKit sets PATH on every Linux image that lacks one
        match = suggest(name, options)
        message = f"Usage of undefined variable '${name}'"
        if match:
            message += f" (did you mean ${match}?)"
        why = "define it with ARG or ENV before this line, or correct its name"
        if point.base_env_unknown:
            why += " (unless the base image sets it)"
        yield Finding(RULE, node, f"{message}; not fixed: {why}")
