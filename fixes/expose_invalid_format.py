"""## What it does
Reports an `EXPOSE` port with an IP address or a host port
(`EXPOSE 127.0.0.1:8080:80`, `EXPOSE 8080:80`), with BuildKit's wording.

## Why is this bad?
`EXPOSE` only documents the container's ports; publishing, and choosing a
host port or address, happens at `docker run -p`. BuildKit ignores the
address and host port, and its check ExposeInvalidFormat warns that this
will become an error.

## Example
```dockerfile
EXPOSE 0.0.0.0:8080:80
```

Use instead:
```dockerfile
EXPOSE 80
```

## Fix safety
No fix: dropping the address and host port leaves the image as it is, but
the author meant to publish a port somewhere, which belongs in the `run`
command or compose file; only they can move it there.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.semantics import Point, points
from dockfix.tree import Dockerfile
from dockfix.words import is_unknown

RULE = Rule(
    code="DF036",
    name="expose-invalid-format",
    summary="EXPOSE with an IP address or host port (reported, not fixed)",
    safety=Safety.SAFE,
    buildkit="ExposeInvalidFormat",
    fixable=False,
)
TRIGGERS = ("expose",)  # one occurs in every file it reports on


def invalid(port: str) -> bool:
    """BuildKit's parsePort: an address or host port before the container port
    (a word whose protocol it rejects fails the build instead)."""
    parts = port.split(":")
    ip_or_host = parts[:-1]
    container = parts[-1]
    number, _, proto = container.partition("/")
    if not number or proto.lower() not in ("", "tcp", "udp", "sctp"):
        return False
    return any(ip_or_host)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    found: dict[int, Point] | None = None  # computed for the first EXPOSE
    for node in tree.instructions:
        if node.keyword != "expose":
            continue
        if found is None:
            found = points(tree, defaults=True)
        point = found.get(id(node))
        if point is None:
            continue
        for word in node.reading.args:
            value = point.word(word)
            if is_unknown(value):
                continue
            for port in value.split():
                if invalid(port):
                    yield Finding(
                        RULE,
                        node,
                        "EXPOSE instruction should not define an IP address or host-port "
                        f"mapping, found '{port}'; not fixed: publish the port with "
                        "`docker run -p` (or compose) instead",
                    )
