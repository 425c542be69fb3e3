"""## What it does
Removes the empty lines inside an instruction continued over several lines
(`RUN a \\`, an empty line, `    b`). Comment lines inside the continuation
stay.

## Why is this bad?
BuildKit skips an empty line inside a continuation, so the instruction goes
on after it. That hides mistakes: an empty line looks like the end of the
instruction, and a forgotten `\\` before it silently joins the next line,
even the next instruction, into this one. BuildKit's check
NoEmptyContinuation warns that such lines will become errors in a future
release.

## Example
```dockerfile
RUN apt-get update && \\

    apt-get install -y curl
```

Use instead:
```dockerfile
RUN apt-get update && \\
    apt-get install -y curl
```

## Fix safety
Safe. BuildKit's parser drops these lines before it reads the instruction
(`isEmptyContinuationLine`), so the instruction, its build step and its
config are the same without them; only line numbers below change. Lines of
spaces or tabs count as empty, as in BuildKit. Heredoc bodies are not
touched: their empty lines are content. When the line after the empty ones
starts with an instruction keyword, the finding says so, since the author
may have meant a new instruction there (the fix keeps it in this one, as
BuildKit reads it).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.editing import with_code
from dockfix.reading import KNOWN_KEYWORDS
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import same_build
from dockfix.tree import Blank, Dockerfile, Instruction, Line

RULE = Rule(
    code="DF025",
    name="empty-continuation",
    summary="No empty lines inside a continued instruction",
    safety=Safety.SAFE,
    hadolint=None,
    buildkit="NoEmptyContinuation",
)
# A pure spelling fix: what BuildKit builds must stay identical.
POSTCONDITION = same_build


def swallowed(node: Instruction) -> str | None:
    """The first line after an empty one that starts with a keyword, if any."""
    after_blank = False
    for part in node.parts:
        if isinstance(part, Blank):
            after_blank = True
        elif isinstance(part, Line) and after_blank:
            words = part.content.split(None, 1)
            if words and words[0].lower() in KNOWN_KEYWORDS:
                return part.content.strip()
            after_blank = False
    return None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for node in tree.instructions:
        if not any(isinstance(p, Blank) for p in node.parts):
            continue
        kept = [p for p in node.parts if not isinstance(p, Blank)]
        code = "".join(p.raw for p in kept) + "".join(h.code for h in node.heredocs)
        new = with_code(node, code)
        message = "Empty continuation line"
        joined = swallowed(node)
        if joined is not None:
            message += f" (the line `{joined}` after it is part of this instruction)"
        fix = Fix((Edit((node,), (new,)),), Safety.SAFE, "Remove it", postcondition=POSTCONDITION)
        yield Finding(RULE, node, message, fix)
