"""## What it does
Removes the `CMD`, `ENTRYPOINT` and `HEALTHCHECK` instructions of a stage
that a later one of the same kind in the same stage replaces, together with
the comment lines directly above each (its description, or a suppression
comment that was meant for it).

## Why is this bad?
An image has one `CMD`, one `ENTRYPOINT` and one `HEALTHCHECK`: only the last
of each in a stage takes effect (BuildKit's check
MultipleInstructionsDisallowed, hadolint's DL4003, DL4004 and DL3012). The
earlier ones are dead code that misleads the reader about what the container
runs.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["python", "app.py"]
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "app:app"]
```

Use instead:
```dockerfile
FROM python:3.12-slim
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "app:app"]
```

## Fix safety
Safe: the later instruction overwrites the whole setting, so the image
config is identical; only the history loses the dead entries. The one
interaction, that `ENTRYPOINT` clears a `CMD` inherited from the base image
unless a `CMD` came earlier in the same stage (BuildKit's dispatchEntrypoint),
cannot change the result: the stage's last `CMD` stays where it is. The
engine checks that the build model is unchanged apart from the history.
`ONBUILD CMD` and the like are triggers for another build and are left
alone (every trigger is kept in the image). A dead instruction that BuildKit
would reject (a flag on `CMD` or `ENTRYPOINT`, an unknown flag or type on
`HEALTHCHECK`) is reported without a fix: removing it would turn a failing
build into a passing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps
from dockfix.stages import stages
from dockfix.tree import Blank, Comment, Directive, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF031",
    name="multiple-instructions",
    summary="Remove a CMD, ENTRYPOINT or HEALTHCHECK that a later one in the stage replaces",
    safety=Safety.SAFE,
    hadolint="DL4003,DL4004,DL3012",
    buildkit="MultipleInstructionsDisallowed",
)
TRIGGERS = ("cmd", "entrypoint", "healthcheck")  # one occurs in every file it reports on
POSTCONDITION = keeps("history")

_KINDS = ("cmd", "entrypoint", "healthcheck")
_HEALTH_FLAGS = frozenset({"interval", "timeout", "start-period", "start-interval", "retries"})


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    index = {id(item): i for i, item in enumerate(tree.items)}
    for stage in stages(tree):
        if stage.from_ is None:
            continue
        for kind in _KINDS:
            nodes = list(stage.instructions_of(kind))
            for node in nodes[:-1]:
                yield _finding(tree, node, index[id(node)])


def _finding(tree: Dockerfile, node: Instruction, at: int) -> Finding:
    name = node.keyword_as_written
    message = (
        f"Multiple {name} instructions should not be used in the same stage "
        "because only the last one will be used"
    )
    why = _rejected(node)
    if why is not None:
        return Finding(RULE, node, f"{message}; not fixed: BuildKit rejects it ({why})")
    old = _owned(tree, at)
    return Finding(
        RULE,
        node,
        message,
        Fix((Edit(old, ()),), Safety.SAFE, f"Remove the dead {name}", postcondition=POSTCONDITION),
    )


def _rejected(node: Instruction) -> str | None:
    """Why BuildKit would fail on this instruction, if it would."""
    reading = node.reading
    if reading.keyword != "healthcheck":
        return f"the flag {reading.flags[0].text}" if reading.flags else None
    kind = reading.args[0].upper() if reading.args else ""
    if kind == "NONE":
        return "HEALTHCHECK NONE takes no arguments" if len(reading.args) > 1 else None
    if kind != "CMD":
        return "a health check is CMD or NONE"
    if len(reading.args) < 2 or (reading.json and not reading.args[1:]):
        return "no command after HEALTHCHECK CMD"
    names = [f.name for f in reading.flags]
    for flag in reading.flags:
        if flag.name not in _HEALTH_FLAGS or flag.value is None or names.count(flag.name) > 1:
            return f"the flag {flag.text}"
        if flag.name == "retries":
            if not re.fullmatch(r"[+-]?[0-9]+", flag.value) or int(flag.value) < 0:
                return f"the flag {flag.text}"
            if int(flag.value) >= 2**31:
                return f"the flag {flag.text}"
        elif flag.value and not _interval(flag.value):
            return f"the flag {flag.text}"
    return None


_UNITS = {
    "ns": 1,
    "us": 1e3,
    "\u00b5s": 1e3,
    "\u03bcs": 1e3,
    "ms": 1e6,
    "s": 1e9,
    "m": 6e10,
    "h": 3.6e12,
}
_DURATION = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")


def _interval(text: str) -> bool:
    """Whether Go's time.ParseDuration reads `text` and BuildKit accepts it as
    an interval: zero, or at least a millisecond."""
    body = text.lstrip("+-")
    if body == "0":
        return True
    total, at = 0.0, 0
    while at < len(body):
        m = _DURATION.match(body, at)
        if m is None or m.group(1) in ("", "."):
            return False
        total += float(m.group(1)) * _UNITS[m.group(2)]
        at = m.end()
    if at == 0:
        return False
    return total == 0 or (not text.startswith("-") and total >= 1e6)


def _owned(tree: Dockerfile, at: int) -> tuple[Node, ...]:
    """The instruction, the comment lines directly above it, and a blank line
    after it when one also stands before, so that no double blank is left."""
    items = tree.items
    start = at
    while start > 0 and isinstance(items[start - 1], Comment):
        start -= 1
    end = at + 1
    before_blank = start == 0 or isinstance(items[start - 1], Blank | Directive)
    if before_blank and end < len(items) and isinstance(items[end], Blank):
        end += 1
    return tuple(items[start:end])
