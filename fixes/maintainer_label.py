"""## What it does
Replaces the deprecated `MAINTAINER name` with the label the OCI image spec
defines for it: `LABEL org.opencontainers.image.authors="name"`, with the
same text.

## Why is this bad?
`MAINTAINER` has been deprecated since Docker 1.13: it sets the image's
`Author` field, which few tools show, while labels are where registries,
scanners and `docker inspect` users look. BuildKit's check
MaintainerDeprecated and hadolint's DL4000 ask for a label instead.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.org>
```

Use instead:
```dockerfile
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.org>"
```

## Fix safety
Unsafe. The build steps stay the same, but the image config changes, and
that is visible: the `Author` field is empty afterwards (BuildKit's
`MAINTAINER` sets it, a label does not), a new label appears, and labels are
inherited by every image built `FROM` this one, where `Author` is not read.
Anything that reads `Author` (`docker inspect --format '{{.Author}}'`, old
inventory scripts) sees a difference, so it is applied only with
`--unsafe-fixes`, even though BuildKit itself suggests it. The label's value
is exactly the `MAINTAINER` text (BuildKit does not expand variables in
`MAINTAINER`): it is quoted so that no quote, `$` or escape character in it
is read differently, and the post-condition checks that every stage's labels
are its old labels plus this one, holding the old author. The fix refuses,
and reports, when the file already sets `org.opencontainers.image.authors`
with a `LABEL` (the two would compete) or when the `MAINTAINER` has comment
lines inside a continuation. The keyword is written in the file's case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.build import instruction
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps, model
from dockfix.stages import ancestry, stage_of, stages
from dockfix.tree import Comment, Dockerfile, Instruction
from dockfix.words import WordError, process_word

RULE = Rule(
    code="DF021",
    name="maintainer-label",
    summary="MAINTAINER is deprecated: use the label org.opencontainers.image.authors",
    safety=Safety.UNSAFE,
    hadolint="DL4000",
    buildkit="MaintainerDeprecated",
)
TRIGGERS = ("maintainer",)  # one occurs in every file it reports on
AUTHORS = "org.opencontainers.image.authors"
_CONFIG_ONLY = keeps("config.author", "config.labels", "history")
# A value BuildKit reads back literally without quotes.
_PLAIN = re.compile(r"[A-Za-z0-9_./:@%+,=-]+\Z")


def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
    """Only the config changes, and only so: no author, and the labels are
    the old ones plus `AUTHORS` holding the old author."""
    reason = _CONFIG_ONLY(before, after)
    if reason is not None:
        return reason
    for i, (old, new) in enumerate(zip(model(before).stages, model(after).stages, strict=True)):
        labels = dict(old.config.get("labels", ()))  # type: ignore[call-overload]
        author = old.config.get("author")
        if author is not None:
            labels[AUTHORS] = author
        if dict(new.config.get("labels", ())) != labels:  # type: ignore[call-overload]
            return f"stage {i + 1}: the labels are not the old ones plus the author"
        if new.config.get("author") is not None:
            return f"stage {i + 1}: the image still has an author"
    return None


def literal(value: str, escape: str, quote: bool) -> str:
    """`value` as one LABEL word that BuildKit reads back as exactly `value`."""
    if _PLAIN.match(value) and not quote:
        return value
    escaped = "".join(escape + c if c in ('"', "$", escape) else c for c in value)
    return f'"{escaped}"'


def _sets_authors(tree: Dockerfile, node: Instruction) -> bool:
    """Whether a LABEL sets `AUTHORS` in `node`'s image: in its stage, a
    stage it is built FROM, or a stage built FROM it."""
    all_stages = stages(tree)
    own = stage_of(tree, node)
    lineage = [
        s
        for s in all_stages
        if own is not None and (own in ancestry(all_stages, s) or s in ancestry(all_stages, own))
    ]
    for stage in lineage:
        for other in stage.instructions:
            if other.keyword != "label":
                continue
            for pair in other.reading.pairs:
                try:
                    key = process_word(pair.key, lambda name: None, tree.escape)
                except WordError:
                    key = pair.key
                if key == AUTHORS:
                    return True
    return False


def replacement(tree: Dockerfile, node: Instruction) -> Instruction | str:
    """The LABEL replacing `node`, or why there is none."""
    if any(isinstance(p, Comment) for p in node.parts):
        return "comment lines inside the instruction would be lost"
    if _sets_authors(tree, node):
        return f"a LABEL already sets {AUTHORS}"
    author = node.reading.args[0]
    style = tree.style
    value = literal(author, tree.escape, style.quote is True)
    if process_word(value, lambda name: None, tree.escape) != author:
        return "no spelling reads the same text for certain"
    first = node.lines[0].content
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    ending = node.lines[-1].ending
    keyword = style.keyword("label")
    gap = style.gap(keyword, indent)
    return instruction(f"{indent}{keyword}{gap}{AUTHORS}={value}{ending}", tree.escape)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for node in tree.instructions:
        if node.keyword != "maintainer" or not node.reading.args:
            continue
        message = "Maintainer instruction is deprecated in favor of using label"
        new = replacement(tree, node)
        if isinstance(new, str):
            yield Finding(RULE, node, f"{message} (not replaced: {new})")
            continue
        fix = Fix(
            (Edit((node,), (new,)),),
            Safety.UNSAFE,
            f"Replace with LABEL {AUTHORS}",
            postcondition=postcondition,
        )
        yield Finding(RULE, node, message, fix)
