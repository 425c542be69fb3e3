"""## What it does
Writes build stage names in lower case, and every reference to the stage
with them: `FROM golang:1.23 AS Builder` becomes `AS builder`, and
`COPY --from=Builder` and `RUN --mount=type=cache,from=Builder,…` follow.

## Why is this bad?
BuildKit stores stage names in lower case, whatever their spelling, so a
name in another case reads as something it is not: `COPY --from=Builder`
finds the stage `builder`, while `FROM Builder` does not (it names an image,
and an image name in upper case is invalid). BuildKit's check
StageNameCasing warns about such names.

## Example
```dockerfile
FROM golang:1.23 AS Builder
RUN go build -o /app .
FROM alpine:3.20
COPY --from=Builder /app /app
```

Use instead:
```dockerfile
FROM golang:1.23 AS builder
RUN go build -o /app .
FROM alpine:3.20
COPY --from=builder /app /app
```

## Fix safety
Safe. The stage's name is the same to BuildKit in either case
(`parseBuildStageName` lower-cases it), and so is every `COPY --from=` and
`RUN --mount=…,from=` that names it: BuildKit looks those up in lower case
(`findStateByName`), also when they name a later stage. `--target` on the
command line is looked up in lower case too. A `FROM` that names the stage in
another case than lower is left alone and reported: BuildKit looks `FROM`
names up as written, so it is an (invalid) image name, and the build fails
there; renaming it would change what is built, so the stage is not renamed
either until that `FROM` is settled (hadolint, which matches names as
written, would start flagging it). The fix refuses, and reports, when the
lower-case name is another stage's, a reserved name (`scratch`,
`context`), or an image a `FROM` of the file uses (`FROM node AS Node`), and
when a reference is written with quotes or escapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockfix.editing import edit_many
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import same_build
from dockfix.stages import Stage, stages
from dockfix.tree import Dockerfile, Instruction
from dockfix.words import WordError, process_word

RULE = Rule(
    code="DF024",
    name="stage-name-casing",
    summary="Stage names in lower case, with every reference renamed",
    safety=Safety.SAFE,
    hadolint=None,
    buildkit="StageNameCasing",
)
TRIGGERS = ("as",)  # one occurs in every file it reports on
# A pure spelling fix: what BuildKit builds must stay identical.
POSTCONDITION = same_build
_RESERVED = frozenset({"scratch", "context"})
_VALID = re.compile(r"[a-z][a-z0-9\-_.]*\Z")  # BuildKit's validStageName


@dataclass
class Rename:
    """The edits that rename one stage, or why it cannot be renamed."""

    edits: dict[int, list[tuple[int, int, str]]]  # by instruction index
    refusal: str | None = None


def _base(stage: Stage, escape: str) -> str:
    """A FROM's base as BuildKit reads it before resolving it (meta ARGs
    left unexpanded: only literal names matter here)."""
    try:
        return process_word(stage.image, lambda name: None, escape)
    except WordError:
        return stage.image


def _reference_edits(
    node: Instruction, old: str, new: str
) -> tuple[list[tuple[int, int, str]], str | None]:
    """Edits renaming `old` to `new` in `node`'s `--from` and `--mount` flags."""
    edits: list[tuple[int, int, str]] = []
    text = node.logical.text
    for flag in node.reading.flags:
        raw = text[flag.span.start : flag.span.end]
        if flag.name == "from" and node.keyword in ("copy", "add"):
            if flag.value is None or flag.value.lower() != old.lower() or flag.value == new:
                continue
            if raw != f"--from={flag.value}":
                return [], f"`{raw}` is written with quotes or escapes"
            start = flag.span.start + len("--from=")
            edits.append((start, flag.span.end, new))
        elif flag.name == "mount" and node.keyword == "run" and flag.value is not None:
            if raw != f"--mount={flag.value}":
                if old.lower() in flag.value.lower():
                    return [], f"`{raw}` is written with quotes or escapes"
                continue
            offset = flag.span.start + len("--mount=")
            for field in flag.value.split(","):
                key, eq, value = field.partition("=")
                if eq and key.strip().lower() == "from" and value.lower() == old.lower():
                    if value != value.strip():
                        return [], f"`{raw}` has spaces around the stage name"
                    if value != new:
                        start = offset + len(key) + 1
                        edits.append((start, start + len(value), new))
                offset += len(field) + 1
    return edits, None


def plan(tree: Dockerfile, stage: Stage, all_stages: list[Stage]) -> Rename:
    """How to rename `stage` (whose name is not in lower case)."""
    assert stage.from_ is not None
    escape = tree.escape
    name = stage.from_.reading.words[2].text
    new = name.lower()
    if new in _RESERVED:
        return Rename({}, f"`{new}` is a reserved name")
    for other in all_stages:
        if other is not stage and other.name == new:
            return Rename({}, f"another stage is also called `{new}`")
    for other in all_stages:
        if other.from_ is None:
            continue
        base = _base(other, escape)
        if base == new and other.index <= stage.index:
            return Rename({}, f"`FROM {base}` uses an image called `{new}`")
    later_from = [
        _base(o, escape) for o in all_stages if o.index > stage.index and o.from_ is not None
    ]
    if any(b != new and b.lower() == new for b in later_from):
        return Rename({}, "a `FROM` names it in another case, which BuildKit reads as an image")
    index = {id(node): i for i, node in enumerate(tree.instructions)}
    words = stage.from_.reading.words
    edits: dict[int, list[tuple[int, int, str]]] = {
        index[id(stage.from_)]: [(words[2].span.start, words[2].span.end, new)]
    }
    for node in tree.instructions:
        found, refusal = _reference_edits(node, name, new)
        if refusal is not None:
            return Rename({}, refusal)
        if found:
            edits.setdefault(index[id(node)], []).extend(found)
    return Rename(edits)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = [s for s in stages(tree) if s.from_ is not None]
    instructions = tree.instructions
    for stage in all_stages:
        assert stage.from_ is not None
        words = stage.from_.reading.words
        if len(words) != 3 or words[1].text.lower() != "as":
            continue
        name = words[2].text
        if name == name.lower() or not _VALID.match(name.lower()):
            continue  # in lower case already, or a build error
        message = f"Stage name '{name}' should be lowercase"
        rename = plan(tree, stage, all_stages)
        if rename.refusal is not None:
            yield Finding(RULE, stage.from_, f"{message} (not renamed: {rename.refusal})")
            continue
        fix_edits = tuple(
            Edit((instructions[i],), (edit_many(instructions[i], spans),))
            for i, spans in sorted(rename.edits.items())
        )
        fix = Fix(fix_edits, Safety.SAFE, f"Rename to {name.lower()}", postcondition=POSTCONDITION)
        yield Finding(RULE, stage.from_, message, fix)
    # A FROM that names an earlier stage in another case than lower names an
    # image instead (BuildKit looks FROM names up as written).
    earlier: set[str] = set()
    for stage in all_stages:
        assert stage.from_ is not None
        base = _base(stage, tree.escape)
        if base != base.lower() and base.lower() in earlier:
            yield Finding(
                RULE,
                stage.from_,
                f"`FROM {base}` names an image, not the stage `{base.lower()}`: "
                "BuildKit finds stages by their lower-case name, so building this stage fails; "
                f"write `FROM {base.lower()}`",
            )
        if stage.name is not None:
            earlier.add(stage.name)
