"""## What it does
Removes `--platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`) from `FROM`:
`FROM --platform=$TARGETPLATFORM alpine:3.20` becomes `FROM alpine:3.20`.

## Why is this bad?
A stage is built for the target platform by default, so the flag says what
BuildKit does anyway and hides the `--platform` flags that matter (such as
`$BUILDPLATFORM` for cross-compiling stages). BuildKit's check
RedundantTargetPlatform and hadolint's DL3065 warn about it.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine:3.20
```

Use instead:
```dockerfile
FROM alpine:3.20
```

## Fix safety
Unsafe. For most builds the flag is redundant, as BuildKit's check says,
but BuildKit's converter does treat a stage with an explicit platform
differently in two cases: when `docker build` is given no `--platform` and
the base image exists for one other platform only, a stage without the flag
takes that image's platform (`autoDetectPlatform` in `convert.go`) while one
with the flag keeps the build's own platform; and
`--build-arg TARGETPLATFORM=…` changes the flag's value but not the default.
The post-condition allows only that stage's platform to change, from
`$TARGETPLATFORM` to the default. A `FROM` under a global
`ARG TARGETPLATFORM=…` with a default is reported and left alone: there the
flag may not name the target platform at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.editing import remove_flag
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps, model
from dockfix.stages import stages
from dockfix.tree import Dockerfile
from dockfix.words import unknown

RULE = Rule(
    code="DF027",
    name="redundant-target-platform",
    summary="`FROM --platform=$TARGETPLATFORM` is the default",
    safety=Safety.UNSAFE,
    hadolint="DL3065",
    buildkit="RedundantTargetPlatform",
)
TRIGGERS = ("platform",)  # one occurs in every file it reports on
_TARGET = re.compile(r"\$(TARGETPLATFORM|\{TARGETPLATFORM\})\Z")
_SAME_BUT_PLATFORM = keeps("platform")


def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
    """The build is the same but for stages whose `$TARGETPLATFORM` became the default."""
    reason = _SAME_BUT_PLATFORM(before, after)
    if reason is not None:
        return reason
    old, new = model(before), model(after)
    for i, (a, b) in enumerate(zip(old.stages, new.stages, strict=True)):
        if a.platform != b.platform and not (b.platform is None and _is_target(a.platform)):
            return f"stage {i + 1}: the platform changed to something else than the default"
    return None


def _is_target(platform: str | None) -> bool:
    return platform == unknown("arg:TARGETPLATFORM")


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    redeclared = any(
        word.partition("=")[0] == "TARGETPLATFORM" and "=" in word
        for stage in all_stages
        if stage.from_ is None
        for node in stage.instructions
        if node.keyword == "arg"
        for word in node.reading.args
    )
    for stage in all_stages:
        node = stage.from_
        if node is None:
            continue
        flags = [f for f in node.reading.flags if f.name == "platform"]
        if len(flags) != 1 or flags[0].value is None or not _TARGET.match(flags[0].value):
            continue
        value = flags[0].value
        message = (
            f"Setting platform to {value} in FROM is redundant as this is the default behavior"
        )
        if redeclared:
            why = "a global ARG gives TARGETPLATFORM a default"
            yield Finding(RULE, node, f"{message} (not removed: {why})")
            continue
        fix = Fix(
            (Edit((node,), (remove_flag(node, "platform"),)),),
            Safety.UNSAFE,
            "Remove --platform",
            postcondition=postcondition,
        )
        yield Finding(RULE, node, message, fix)
