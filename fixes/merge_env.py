"""## What it does
Merges consecutive `ENV` instructions of a stage into one, one `key=value`
pair per line, and rewrites legacy `ENV KEY value` pairs in the group as
`KEY=value`.

## Why is this bad?
Every `ENV` adds an image layer and a step to the build log. One `ENV` that
lists the variables together is shorter and easier to read.

## Example
```dockerfile
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED 1
```

Use instead:
```dockerfile
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1
```

## Fix safety
Safe. BuildKit expands every value of one `ENV` with the variables as they
were *before* that instruction, so an `ENV` that reads a variable set by an
earlier one in the group (`ENV VIRTUAL_ENV=/opt/venv` then
`ENV PATH="$VIRTUAL_ENV/bin:$PATH"`) is never merged into it. A blank line
ends a group; comments between the instructions are kept inside the merged
one. An `ENV` under a suppression comment (`# hadolint ignore=…`,
`# check=…`, `# dockfix: …`) is left where it is, and a legacy value that
cannot be quoted exactly (it holds quotes or escapes) is not merged.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.build import continued, quote_value, referenced_vars
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps
from dockfix.suppressions import has_pragma_above
from dockfix.tree import Comment, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF001",
    name="merge-env",
    summary="Consecutive ENV instructions can be one",
    safety=Safety.SAFE,
    hadolint=None,
    buildkit=None,
)
# What BuildKit must read in the output: only these parts may change.
POSTCONDITION = keeps("history")


def env_words(env: Instruction, escape: str) -> list[str] | None:
    """The pairs of an ENV as `key=value` words; None if one cannot be written so."""
    words = []
    for pair in env.reading.pairs:
        if pair.legacy:
            quoted = quote_value(pair.value, escape)
            if quoted is None:
                return None
            words.append(f"{pair.key}={quoted}")
        else:
            words.append(tree_word(env, pair.span.start, pair.span.end))
    return words


def tree_word(env: Instruction, start: int, end: int) -> str:
    """The text of a pair as BuildKit joined it (quotes and escapes as written)."""
    return env.logical.text[start:end]


def mergeable(env: Instruction) -> bool:
    return env.keyword == "env" and not env.reading.flags and bool(env.reading.pairs)


def groups(tree: Dockerfile) -> Iterator[list[Node]]:
    """Runs of ENV instructions (with the comments between them) that can merge."""
    run: list[Node] = []
    keys: set[str] = set()

    def flush() -> Iterator[list[Node]]:
        while run and not isinstance(run[-1], Instruction):
            run.pop()  # trailing comments stay outside the group
        if sum(isinstance(n, Instruction) for n in run) >= 2:
            yield list(run)

    for item in tree.items:
        if isinstance(item, Comment) and run:
            run.append(item)
            continue
        if isinstance(item, Instruction) and mergeable(item):
            reads = {v.lower() for p in item.reading.pairs for v in referenced_vars(p.value)}
            # A key that expands (`ENV ${K}=1`) reads the variables before it,
            # and names a key no later value can be checked against.
            usable = env_words(item, tree.escape) is not None and not any(
                "$" in p.key for p in item.reading.pairs
            )
            if not usable or has_pragma_above(tree, item):
                yield from flush()
                run, keys = [], set()
                continue
            if run and not (reads & keys):
                run.append(item)
            else:
                yield from flush()
                run, keys = [item], set()
            keys |= {p.key.lower() for p in item.reading.pairs}
            continue
        yield from flush()
        run, keys = [], set()
    yield from flush()


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for group in groups(tree):
        envs = [n for n in group if isinstance(n, Instruction)]
        items: list[str | Comment] = []
        for node in group:
            if isinstance(node, Comment):
                items.append(node)
            elif isinstance(node, Instruction):
                words = env_words(node, tree.escape)
                assert words is not None
                items.extend(words)
        first = envs[0].lines[0].content
        indent = first[: len(first) - len(first.lstrip(" \t"))]
        merged = continued(
            envs[0].keyword_as_written,
            items,
            escape=tree.escape,
            newline=tree.newline,
            indent=indent,
        )
        yield Finding(
            RULE,
            envs[0],
            f"{len(envs)} consecutive ENV instructions can be one",
            Fix(
                (Edit(tuple(group), (merged,)),),
                Safety.SAFE,
                "Merge into one ENV",
                postcondition=POSTCONDITION,
            ),
        )
