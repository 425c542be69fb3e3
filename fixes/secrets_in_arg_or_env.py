"""## What it does
Reports an `ARG` or `ENV` of a stage whose name says it holds a secret
(`PASSWORD`, `API_KEY`, `GITHUB_TOKEN`, `AUTH`, …), with BuildKit's wording.

## Why is this bad?
Build arguments and environment variables are stored in the image: its
config and history show them to anyone who can pull it. BuildKit's check
SecretsUsedInArgOrEnv asks for secret mounts (`RUN --mount=type=secret`)
instead.

## Example
```dockerfile
FROM alpine
ARG GITHUB_TOKEN
RUN git clone https://$GITHUB_TOKEN@github.com/org/repo
```

Use instead:
```dockerfile
FROM alpine
RUN --mount=type=secret,id=github_token \\
    git clone https://$(cat /run/secrets/github_token)@github.com/org/repo
```

## Fix safety
No fix: moving a secret to a secret mount changes how the build is invoked
(`docker build --secret id=…,src=…`) and every command that reads it. The
names are matched as BuildKit matches them: a word `apikey`, `auth`,
`credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token`
at the start or end of the name or between underscores, unless a word
`public`, `file` or `version` is there too (`PUBLIC_KEY`, `TOKEN_FILE` pass).
BuildKit checks the `ARG`s and `ENV`s inside stages, not the global `ARG`s
before the first `FROM`, and an `ENV` key after expansion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.gocompat import go_quote
from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.semantics import Point, points
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF033",
    name="secrets-in-arg-or-env",
    summary="A secret-looking ARG or ENV is stored in the image (reported, not fixed)",
    safety=Safety.SAFE,
    buildkit="SecretsUsedInArgOrEnv",
    fixable=False,
)
TRIGGERS = ("arg", "env")  # one occurs in every file it reports on

_TOKENS = "apikey|auth|credential|credentials|key|password|pword|passwd|secret|token"
_DENY = re.compile(rf"(?i)(?:_|^)(?:{_TOKENS})(?:_|$)")
_ALLOW = re.compile(r"(?i)(?:_|^)(?:public|file|version)(?:_|$)")


def secret_name(key: str) -> bool:
    return bool(_DENY.search(key)) and not _ALLOW.search(key)


def _may_name_a_secret(node: Instruction) -> bool:
    """False when no key `check` looks at can be a secret's name: ARG keys are
    read as written; an ENV key without `$`, quotes or the escape character
    expands to itself (the escape character being `\\` or a backtick)."""
    if node.keyword == "arg":
        return any(secret_name(word.partition("=")[0]) for word in node.reading.args)
    special = ("$", "'", '"', "\\", "`")
    return any(
        any(c in pair.key for c in special) or secret_name(pair.key) for pair in node.reading.pairs
    )


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    found: dict[int, Point] | None = None  # computed for the first node that needs it
    for node in tree.instructions:
        if node.keyword not in ("arg", "env") or not _may_name_a_secret(node):
            continue
        if found is None:
            found = points(tree, defaults=True)
        point = found.get(id(node))
        if point is None:
            continue
        if node.keyword == "env":
            keys = [point.word(pair.key) for pair in node.reading.pairs]
        else:
            keys = [word.partition("=")[0] for word in node.reading.args]
        what = node.keyword.upper()
        for key in dict.fromkeys(keys):
            if secret_name(key):
                yield Finding(
                    RULE,
                    node,
                    "Do not use ARG or ENV instructions for sensitive data "
                    f"({what} {go_quote(key)}); not fixed: pass it as a secret mount "
                    "(RUN --mount=type=secret) instead",
                )
