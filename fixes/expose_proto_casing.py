"""## What it does
Writes the protocol of an `EXPOSE` port in lower case: `EXPOSE 53/UDP`
becomes `EXPOSE 53/udp`.

## Why is this bad?
The image config lists exposed ports as `53/udp`; BuildKit lower-cases the
protocol anyway, so an upper-case one only makes the Dockerfile differ from
what it builds. BuildKit's check ExposeProtoCasing warns about it.

## Example
```dockerfile
EXPOSE 8080/TCP 53/UDP
```

Use instead:
```dockerfile
EXPOSE 8080/tcp 53/udp
```

## Fix safety
Safe. BuildKit lower-cases the protocol when it reads the port
(`parsePort` in `convert_expose.go`), so the exposed ports are the same. One
thing does depend on the spelling: the history entry lists the instruction's
ports in the order of its words as written, sorted (`parseExpose`), and
upper case sorts before lower case. When lower-casing would reorder them
(`EXPOSE 53/UDP 53/tcp`), the port is reported and left alone; so is one
whose lower-case spelling the instruction lists already (`EXPOSE 8080/Tcp
8080/tcp` would list the same port twice, where an expert drops one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.editing import edit_many
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import same_build
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF026",
    name="expose-proto-casing",
    summary="EXPOSE protocols in lower case",
    safety=Safety.SAFE,
    hadolint=None,
    buildkit="ExposeProtoCasing",
)
TRIGGERS = ("expose",)  # one occurs in every file it reports on
# A pure spelling fix: what BuildKit builds must stay identical.
POSTCONDITION = same_build
# A literal protocol at the end of a word, possibly before a closing quote.
_PROTOCOL = re.compile(r"/(tcp|udp|sctp)([\"']?)\Z", re.IGNORECASE)


def same_order(old: list[str], new: list[str]) -> bool:
    """Whether sorting `new` puts its words in the order sorting `old` does."""
    order = sorted(range(len(old)), key=lambda i: old[i])
    return [new[i] for i in order] == sorted(new)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for node in tree.instructions:
        if node.keyword != "expose":
            continue
        words = node.reading.words
        edits: list[tuple[int, int, str]] = []
        new_words: list[str] = []
        for word in words:
            m = _PROTOCOL.search(word.text)
            if m is None or m.group(1) == m.group(1).lower():
                new_words.append(word.text)
                continue
            start = word.span.start + m.start(1)
            edits.append((start, start + len(m.group(1)), m.group(1).lower()))
            new_words.append(word.text[: m.start(1)] + m.group(1).lower() + word.text[m.end(1) :])
        if not edits:
            continue
        upper = [w.text for w in words if w.text not in new_words]
        message = f"Defined protocol '{', '.join(upper)}' in EXPOSE instruction should be lowercase"
        twice = sorted({w for w in new_words if new_words.count(w) > 1})
        if twice:
            yield Finding(
                RULE,
                node,
                f"{message} (not fixed: `{twice[0]}` would then be listed twice; "
                "drop the upper-case one)",
            )
            continue
        if not same_order([w.text for w in words], new_words):
            yield Finding(
                RULE,
                node,
                f"{message} (not fixed: the image history lists the ports sorted as written, "
                "and lower case would reorder them)",
            )
            continue
        new = edit_many(node, edits)
        fix = Fix(
            (Edit((node,), (new,)),), Safety.SAFE, "Lower-case it", postcondition=POSTCONDITION
        )
        yield Finding(RULE, node, message, fix)
