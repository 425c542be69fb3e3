"""## What it does
Writes the `AS` of `FROM image AS name` in the case of its `FROM`:
`FROM golang:1.23 as build` becomes `FROM golang:1.23 AS build`, and
`from golang:1.23 AS build` becomes `from golang:1.23 as build`.

## Why is this bad?
`AS` is part of the instruction's syntax; in another case than `FROM` it
looks like an argument. BuildKit's check FromAsCasing warns about it.

## Example
```dockerfile
FROM node:22 as build
```

Use instead:
```dockerfile
FROM node:22 AS build
```

## Fix safety
Safe. BuildKit compares `AS` without regard to case, so the stage, its name
and everything built from it stay identical. As in BuildKit, a `FROM` in
mixed case (`From`) gives `AS` no case to follow; instruction-casing writes
that `FROM` in the file's case and `AS` with it.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.editing import edit
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import same_build
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF023",
    name="from-as-casing",
    summary="`AS` in the case of its `FROM`",
    safety=Safety.SAFE,
    hadolint=None,
    buildkit="FromAsCasing",
)
TRIGGERS = ("as",)  # one occurs in every file it reports on
# A pure spelling fix: what BuildKit builds must stay identical.
POSTCONDITION = same_build


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for node in tree.instructions:
        words = node.reading.words
        if node.keyword != "from" or len(words) < 3 or words[1].text.lower() != "as":
            continue
        keyword = node.keyword_as_written
        if keyword == keyword.lower():
            wanted = words[1].text.lower()
        elif keyword == keyword.upper():
            wanted = words[1].text.upper()
        else:
            continue  # mixed case: BuildKit does not compare
        if words[1].text == wanted:
            continue
        new = edit(node, words[1].span.start, words[1].span.end, wanted)
        fix = Fix(
            (Edit((node,), (new,)),), Safety.SAFE, f"Write {wanted}", postcondition=POSTCONDITION
        )
        message = f"'{words[1].text}' and '{keyword}' keywords' casing do not match"
        yield Finding(RULE, node, message, fix)
