"""## What it does
Writes every instruction keyword in the case most of the file's keywords
use: `run` becomes `RUN` in a file written in upper case, `COPY` becomes
`copy` in one written in lower case, and a mixed-case `From` either way.

## Why is this bad?
Keywords are case-insensitive, but a file that mixes `RUN` and `run` reads
as if it had been pasted together, and BuildKit's check
ConsistentInstructionCasing warns about every keyword that is not in the
file's majority case.

## Example
```dockerfile
FROM alpine:3.20
run apk add --no-cache curl
Copy . /app
```

Use instead:
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
COPY . /app
```

## Fix safety
Safe. BuildKit dispatches on the keyword in lower case, so its case changes
neither the build steps nor the image config. The majority is counted as
BuildKit counts it: each `FROM` and each instruction of a stage, not the
`ARG`s before the first `FROM`; a mixed-case keyword counts for neither
case, and a tie is upper case. Every keyword is then written in that case,
the global `ARG`s included (tally counts them), so no casing warning is
left. When the fix changes a `FROM` whose `AS` was in the same case (or the
`FROM` was in mixed case), `AS` follows it, so FromAsCasing is not raised;
an `AS` that already differed is left to from-as-casing. The type word of
`HEALTHCHECK` (`CMD`, `NONE`) follows the file too: BuildKit reads it in upper
case whatever its spelling (only `NONE` is never lowered, since hadolint
cannot parse `none`). `ONBUILD`'s own
keyword follows the file, but the instruction it wraps is left as written:
the image stores the trigger's text, which a rewrite would change.
Unknown instructions (a build error anyway) are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.editing import edit_many
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import same_build
from dockfix.style import case_counts, upper_case
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF022",
    name="instruction-casing",
    summary="Instruction keywords in the case most of the file uses",
    safety=Safety.SAFE,
    hadolint=None,
    buildkit="ConsistentInstructionCasing",
)
# A pure spelling fix: what BuildKit builds must stay identical.
POSTCONDITION = same_build


def in_case(word: str, upper: bool) -> str:
    return word.upper() if upper else word.lower()


def consistent(word: str) -> bool:
    """BuildKit's isSelfConsistentCasing: all lower or all upper case."""
    return word in (word.lower(), word.upper())


def as_follows(keyword: str, as_word: str) -> bool:
    """Whether a FROM's `AS` should take the keyword's new case: it matched
    the keyword's case before, or the keyword was in mixed case."""
    if not consistent(keyword):
        return True
    return as_word == in_case(as_word, keyword == keyword.upper())


def recased(node: Instruction, upper: bool) -> Instruction | None:
    """`node` with its keyword (and its `AS`, see `as_follows`, or its
    HEALTHCHECK type) in the given case, or None when it already is."""
    keyword = node.keyword_as_written
    wanted = in_case(keyword, upper)
    edits = [(0, len(keyword), wanted)] if keyword != wanted else []
    reading = node.reading
    words = reading.words
    if edits and node.keyword == "from" and len(words) == 3 and words[1].text.lower() == "as":
        as_word = words[1]
        if as_follows(keyword, as_word.text) and as_word.text != in_case(as_word.text, upper):
            edits.append((as_word.span.start, as_word.span.end, in_case(as_word.text, upper)))
    if node.keyword == "healthcheck" and reading.args:
        kind = reading.args[0]
        # hadolint reads `NONE` only in upper case: it is never lowered.
        recase = kind.upper() == "CMD" or (kind.upper() == "NONE" and upper)
        if recase and kind != in_case(kind, upper):
            start = reading.rest_span.start
            edits.append((start, start + len(kind), in_case(kind, upper)))
    return edit_many(node, edits) if edits else None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    upper = upper_case(*case_counts(tree))  # the file's majority (Style.upper)
    majority = "uppercase" if upper else "lowercase"
    for node in tree.instructions:
        if not node.reading.known:
            continue
        new = recased(node, upper)
        if new is None:
            continue
        keyword = node.keyword_as_written
        if keyword == in_case(keyword, upper):  # only HEALTHCHECK's CMD or NONE
            word = node.reading.args[0]
            message = f"'{word}' in {keyword} should match the case of the command majority"
        else:
            word = keyword
            message = f"Command '{word}' should match the case of the command majority"
        fix = Fix(
            (Edit((node,), (new,)),),
            Safety.SAFE,
            f"Write {in_case(word, upper)}",
            postcondition=POSTCONDITION,
        )
        yield Finding(RULE, node, f"{message} ({majority})", fix)
