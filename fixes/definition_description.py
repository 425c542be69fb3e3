"""## What it does
Where the Dockerfile turns BuildKit's experimental check
InvalidDefinitionDescription on (`# check=experimental=all` or
`# check=experimental=InvalidDefinitionDescription`), reports an `ARG`, or a
`FROM … AS name`, whose comment above does not start with the name it
describes, with BuildKit's wording.

## Why is this bad?
BuildKit reads the comment directly above an `ARG` or a named stage as its
description (`docker buildx build --call=outline` and `--call=targets` show
it) when the comment starts with the name: `# VERSION the release to build`.
A comment that does not is shown nowhere, or is taken for a description it
was not meant to be.

## Example
```dockerfile
# check=experimental=InvalidDefinitionDescription
# the release to build
ARG VERSION=1.0
```

Use instead:
```dockerfile
# check=experimental=InvalidDefinitionDescription
# VERSION the release to build
ARG VERSION=1.0
```

## Fix safety
No fix: rewording a comment into a description, or separating it with an
empty comment line `#` when it is not one, is for the author to decide. As in
BuildKit, the comment lines count from the last empty comment line `#`
(blank lines do not separate them), the last comment line is the one read,
and nothing is reported unless the file enables the experimental check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.tree import Comment, Directive, Dockerfile, Instruction

RULE = Rule(
    code="DF039",
    name="definition-description",
    summary="A comment above ARG or a named stage that is not its description (reported)",
    safety=Safety.SAFE,
    buildkit="InvalidDefinitionDescription",
    fixable=False,
)
TRIGGERS = ("experimental",)  # one occurs in every file it reports on

_EXPERIMENTAL = re.compile(r"(?:^|;)\s*experimental\s*=\s*([^;]*)", re.IGNORECASE)


def enabled(tree: Dockerfile) -> bool:
    """Whether the `check` directive enables the experimental rule."""
    m = _EXPERIMENTAL.search(tree.directives.get("check", ""))
    if m is None:
        return False
    names = {n.strip() for n in m.group(1).split(",")}
    return "all" in names or RULE.buildkit in names


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    if not enabled(tree):
        return
    comments: list[str] = []
    for item in tree.items:
        if isinstance(item, Comment):
            # BuildKit: the line after its first byte, trimmed; `#` alone resets.
            text = item.raw.rstrip("\r\n")[1:].strip()
            comments = [*comments, text] if text else []
        elif isinstance(item, Instruction):
            finding = _finding(item, comments)
            if finding is not None:
                yield finding
            comments = []
        elif isinstance(item, Directive):
            comments = []


def _finding(node: Instruction, comments: list[str]) -> Finding | None:
    reading = node.reading
    if reading.keyword == "arg":
        keys = [word.partition("=")[0] for word in reading.args]
    elif reading.keyword == "from" and len(reading.args) == 3:
        keys = [reading.args[2].lower()]
    else:
        return None
    if not comments or not keys or comments[-1].split(" ")[0] in keys:
        return None
    example = keys[0] if len(keys) == 1 else "<arg_key>"
    what = "ARG" if reading.keyword == "arg" else "FROM"
    return Finding(
        RULE,
        node,
        f"Comment for {what} should follow the format: `# {example} <description>`"
        "; not fixed: start the comment with the name, or put a line `#` between",
    )
