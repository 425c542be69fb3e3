"""## What it does
Reports a stage named like an earlier stage (BuildKit's DuplicateStageName)
or with a reserved name, `scratch` or `context` (ReservedStageName), with
BuildKit's wording.

## Why is this bad?
Names are compared in lower case. With two stages of one name, `FROM name`
takes the latest one before it while `COPY --from=name` takes the last one in
the file, so which stage a reference means depends on where it stands.
`scratch` is the empty image and `context` a build context name: a stage
named so is confusing at best (`FROM scratch` still means the empty image).

## Example
```dockerfile
FROM golang AS build
RUN go build -o /app .
FROM node AS build
RUN npm run build
```

Use instead:
```dockerfile
FROM golang AS build-go
RUN go build -o /app .
FROM node AS build-web
RUN npm run build
```

## Fix safety
No fix: a new name has to be chosen, and every reference to the old one
assigned to one of the stages, which only the author knows.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.stages import stages
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF035",
    name="stage-names",
    summary="A duplicate or reserved stage name (reported, not fixed)",
    safety=Safety.SAFE,
    buildkit="DuplicateStageName,ReservedStageName",
    fixable=False,
)
TRIGGERS = ("as",)  # one occurs in every file it reports on

_RESERVED = ("context", "scratch")


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for stage in stages(tree):
        name = stage.name
        if stage.from_ is None or name is None:
            continue
        if name in _RESERVED:
            yield Finding(
                RULE,
                stage.from_,
                f'Stage name should not use the same name as reserved stage "{name}"'
                "; not fixed: choose another name and rename its references",
            )
        if name in seen:
            yield Finding(
                RULE,
                stage.from_,
                f'Duplicate stage name "{name}", stage names should be unique'
                "; not fixed: which references mean which stage is for the author to say",
            )
        seen.add(name)
