"""## What it does
Reports, with BuildKit's wording, a `FROM` that reads a build argument no
global `ARG` declares (BuildKit's UndefinedArgInFrom, with its suggestion for
a misspelt one such as `$BUILDPLATFROM`), and a `FROM` whose image name is
empty or invalid when every global `ARG` takes its default
(InvalidDefaultArgInFrom).

## Why is this bad?
`FROM` sees only the `ARG`s declared before the first `FROM` and BuildKit's
own (`TARGETPLATFORM`, `BUILDARCH`, …). An undeclared one expands to nothing,
so `FROM node:22${VARIANT}` silently builds on `node:22`. A build that needs
`--build-arg` just to name a valid image (`ARG TAG` then `FROM alpine:$TAG`,
which reads `alpine:`) fails without it.

## Example
```dockerfile
ARG TAG
FROM alpine:${TAG}
```

Use instead:
```dockerfile
ARG TAG=3.20
FROM alpine:${TAG}
```

## Fix safety
No fix: the value an argument should default to, or the argument a
misspelling meant, is the author's to choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.buildkit_checks import referenced, suggest
from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.stages import stages
from dockfix.tree import Dockerfile
from dockfix.words import WordError, process_word

RULE = Rule(
    code="DF034",
    name="from-args",
    summary="FROM reads an undeclared ARG, or its defaults give no valid image (reported)",
    safety=Safety.SAFE,
    buildkit="UndefinedArgInFrom,InvalidDefaultArgInFrom",
    fixable=False,
)

# BuildKit's own global arguments (platform.go: defaultArgs), with the values
# of a typical build, used only to tell whether a name is a valid reference.
BUILTIN = {
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDOSVERSION": "",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETOSVERSION": "",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
    "TARGETSTAGE": "default",
}

# distribution/reference's grammar (ParseNormalizedNamed).
_ALNUM = r"[a-z0-9]+"
_SEP = r"(?:[._]|__|[-]+)"
_COMPONENT = rf"{_ALNUM}(?:{_SEP}{_ALNUM})*"
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])"
_NAME = rf"(?:{_HOST}(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"({_NAME})(?::{_TAG})?(?:@{_DIGEST})?", re.ASCII)


def valid_reference(name: str) -> bool:
    """Whether BuildKit's reference.ParseNormalizedNamed accepts `name`."""
    m = _REFERENCE.fullmatch(name)
    if m is None or len(m.group(1)) > 255:
        return False
    return not re.fullmatch(r"[a-f0-9]{64}", name)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    escape = tree.escape
    declared: list[str] = []  # every global ARG, with a value or not
    values: dict[str, str] = dict(BUILTIN)  # those that have a value by default
    for stage in stages(tree):
        if stage.from_ is None:
            for node in stage.instructions:
                if node.keyword != "arg":
                    continue
                for word in node.reading.args:
                    name, eq, default = word.partition("=")
                    declared.append(name)
                    if eq:
                        try:
                            values[name] = process_word(default, values.get, escape)
                        except WordError:
                            values[name] = ""
            continue
        node = stage.from_
        reading = node.reading
        args = reading.args
        if not (len(args) == 1 or (len(args) == 3 and args[1].lower() == "as")):
            continue  # BuildKit rejects this FROM (a template, say) before checking it
        known = [*BUILTIN, *declared]
        texts = [reading.args[0]] if reading.args else []
        platform = reading.flag("platform")
        if platform is not None and platform.value is not None:
            texts.append(platform.value)
        for text in texts:
            for name in referenced(text, lambda n: n in values, escape):
                if name in declared:
                    continue
                message = f"FROM argument '{name}' is not declared"
                match = suggest(name, list(dict.fromkeys(known)))
                if match:
                    message += f" (did you mean {match}?)"
                yield Finding(
                    RULE, node, f"{message}; not fixed: declare it with ARG before the first FROM"
                )
        if reading.args:
            try:
                image = process_word(reading.args[0], values.get, escape)
            except WordError:
                continue
            if not valid_reference(image):
                yield Finding(
                    RULE,
                    node,
                    f"Default value for ARG {reading.args[0]} results in empty or invalid "
                    "base image name; not fixed: give the ARG a default that names an image",
                )
