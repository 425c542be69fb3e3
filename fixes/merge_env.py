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
`ENV PATH="$VIRTUAL_ENV/bin:$PATH"`) is never merged into it, nor is one
that sets a key the group set already (an override, which one `ENV`
setting the key twice would hide), nor one that sets a key an earlier value
of the group reads (`ENV APP_HOME=$HOME/app` then `ENV HOME=/srv`: the merged
`ENV` would still expand the old `HOME`, but read as if it took the new one,
and hadolint's DL3044 would flag it). A blank line
ends a group; comments between the instructions, and comment lines inside a
continued `ENV`, are kept inside the merged one. An `ENV` under a
suppression comment (`# hadolint ignore=…`, `# check=…`, `# dockfix: …`) is
left where it is, and a legacy value that
cannot be quoted exactly (it holds quotes or escapes) is not merged.
Each merge is proven before it is offered: the merged `ENV` must set the same
keys to the same values, in order, as BuildKit expands them
(`dockfix.semantics.env_reads`), so a value the new layout would read
differently (an unbalanced quote, an escape before the line break, the
backtick escape directive) ends the group instead.

The merged `ENV` follows the file's conventions: the keyword in the case most
of its keywords use, continuation lines indented as its own are. A merge that
would leave fewer keywords in the majority case than in the other (so that
BuildKit's ConsistentInstructionCasing would flag other lines) is not made.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.build import continued, referenced_vars
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import env_reads, keeps
from dockfix.style import Style, case_counts, upper_case
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
TRIGGERS = ("env",)  # one occurs in every file it reports on
# What BuildKit must read in the output: only these parts may change.
POSTCONDITION = keeps("history")


def env_words(env: Instruction, style: Style) -> list[str] | None:
    """The pairs of an ENV as `key=value` words; None if one cannot be written so."""
    words = []
    for pair in env.reading.pairs:
        if pair.legacy:
            quoted = style.value(pair.value)
            if quoted is None:
                return None
            words.append(f"{pair.key}={quoted}")
        else:
            words.append(tree_word(env, pair.span.start, pair.span.end))
    return words


def env_items(env: Instruction, style: Style) -> list[str | Comment] | None:
    """`env_words`, with the comment lines inside the ENV's continuation kept
    in front of the pair that follows them."""
    words = env_words(env, style)
    if words is None:
        return None
    comments: list[tuple[int, Comment]] = []
    offset = 0
    for part in env.parts:
        if isinstance(part, Comment):
            comments.append((offset, part))
        offset += len(part.raw)
    items: list[str | Comment] = []
    for pair, word in zip(env.reading.pairs, words, strict=True):
        start = env.logical.raw_offset(pair.span.start)
        while comments and comments[0][0] < start:
            items.append(comments.pop(0)[1])
        items.append(word)
    items.extend(comment for _, comment in comments)
    return items


def tree_word(env: Instruction, start: int, end: int) -> str:
    """The text of a pair as BuildKit joined it (quotes and escapes as written)."""
    return env.logical.text[start:end]


def mergeable(env: Instruction) -> bool:
    return env.keyword == "env" and not env.reading.flags and bool(env.reading.pairs)


def groups(tree: Dockerfile) -> Iterator[list[Node]]:
    """Runs of ENV instructions (with the comments between them) that can merge."""
    run: list[Node] = []
    keys: set[str] = set()
    read: set[str] = set()  # the variables the group's values and keys read

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
            usable = env_words(item, tree.style) is not None and not any(
                "$" in p.key for p in item.reading.pairs
            )
            if not usable or has_pragma_above(tree, item):
                yield from flush()
                run, keys, read = [], set(), set()
                continue
            # A key set again overrides it: one ENV setting it twice would read
            # as a mistake (and a later `ENV K=v` is the author's override).
            # A key an earlier value of the group reads is not set in its ENV
            # either: BuildKit would still expand the old value, but the line
            # would read as if it took the new one (hadolint's DL3044).
            sets = {p.key.lower() for p in item.reading.pairs}
            if run and not (reads & keys) and not (sets & keys) and not (sets & read):
                run.append(item)
            else:
                yield from flush()
                run, keys, read = [item], set(), set()
            keys |= sets
            read |= reads
            continue
        yield from flush()
        run, keys, read = [], set(), set()
    yield from flush()


def _adjacent_envs(tree: Dockerfile) -> bool:
    """Whether two ENV instructions follow each other (comment lines between
    them allowed): `groups` finds nothing otherwise."""
    previous = False
    for item in tree.items:
        if isinstance(item, Comment):
            continue
        env = isinstance(item, Instruction) and item.keyword == "env"
        if env and previous:
            return True
        previous = env
    return False


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    if not _adjacent_envs(tree):
        return
    style = tree.style
    counts = list(case_counts(tree))
    for group in groups(tree):
        for part, merged in _provable(tree, group):
            # Fewer ENV keywords must not turn the file's keyword majority
            # (ConsistentInstructionCasing would then flag other lines).
            envs = [n for n in part if isinstance(n, Instruction)]
            after = list(counts)
            for env in envs:
                word = env.keyword_as_written
                if word in (word.lower(), word.upper()):
                    after[word.isupper()] -= 1
            after[style.upper] += 1
            if upper_case(*after) != style.upper:
                continue
            counts = after
            yield Finding(
                RULE,
                envs[0],
                f"{len(envs)} consecutive ENV instructions can be one",
                Fix(
                    (Edit(tuple(part), (merged,)),),
                    Safety.SAFE,
                    "Merge into one ENV",
                    postcondition=POSTCONDITION,
                ),
            )


def _merge(tree: Dockerfile, group: list[Node]) -> Instruction:
    """The one ENV `group` becomes, in the file's style."""
    items: list[str | Comment] = []
    for node in group:
        if isinstance(node, Comment):
            items.append(node)
        elif isinstance(node, Instruction):
            words = env_items(node, tree.style)
            assert words is not None
            items.extend(words)
    envs = [n for n in group if isinstance(n, Instruction)]
    first = envs[0].lines[0].content
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    return continued("ENV", items, indent=indent, style=tree.style)


def _provable(tree: Dockerfile, group: list[Node]) -> Iterator[tuple[list[Node], Instruction]]:
    """The longest runs of `group` whose merge BuildKit provably reads as the
    separate ENVs (the same keys and values, in order, after expansion): a
    value that the merged layout would read differently (an unbalanced quote,
    an escape at the end) ends a run."""
    escape = tree.escape
    run: list[Node] = []
    best: Instruction | None = None
    for node in [*group, None]:
        if isinstance(node, Comment):
            run.append(node)
            continue
        if node is not None:
            trial = [*run, node]
            envs = [n for n in trial if isinstance(n, Instruction)]
            if len(envs) < 2:
                run = trial
                continue
            merged = _merge(tree, trial)
            if env_reads([merged], escape) == env_reads(envs, escape):
                run, best = trial, merged
                continue
        while run and not isinstance(run[-1], Instruction):
            run.pop()
        if best is not None and sum(isinstance(n, Instruction) for n in run) >= 2:
            yield run, best
        run = [node] if node is not None else []
        best = None
