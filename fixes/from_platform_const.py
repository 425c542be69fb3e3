"""## What it does
Reports `FROM --platform=` with a constant platform (`linux/amd64`) in a
stage whose name mentions neither its OS nor its architecture, with
BuildKit's wording (FromPlatformFlagConstDisallowed).

## Why is this bad?
A constant platform pins the stage to one platform whatever
`docker build --platform` asks for, so a multi-platform build silently gets
amd64 binaries in its arm64 image (or runs slowly under emulation).
`--platform=$BUILDPLATFORM` (to build on the builder's platform and
cross-compile) or no flag at all is usually meant.

## Example
```dockerfile
FROM --platform=linux/amd64 golang AS build
```

Use instead:
```dockerfile
FROM --platform=$BUILDPLATFORM golang AS build
```

## Fix safety
No fix: `$BUILDPLATFORM`, `$TARGETPLATFORM` or no flag give different
images, and some stages really are for one platform (name them so, e.g.
`build_amd64`, and BuildKit stops warning).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockfix.rule import Context, Finding, Rule, Safety
from dockfix.stages import stages
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF037",
    name="from-platform-const",
    summary="FROM --platform with a constant value (reported, not fixed)",
    safety=Safety.SAFE,
    buildkit="FromPlatformFlagConstDisallowed",
    fixable=False,
)
TRIGGERS = ("platform",)  # one occurs in every file it reports on

# containerd/platforms' normalisation of the common spellings.
_OS = {"macos": "darwin"}
_ARCH = {
    "i386": "386",
    "i686": "386",
    "x86_64": "amd64",
    "x86-64": "amd64",
    "aarch64": "arm64",
    "armhf": "arm",
    "armel": "arm",
}
_KNOWN_OS = frozenset(
    {"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos"}
    | {"aix", "android", "dragonfly", "ios", "js", "plan9", "wasip1", "macos"}
)
_KNOWN_ARCH = frozenset(
    {"386", "amd64", "arm", "arm64", "ppc64le", "ppc64", "s390x", "riscv64", "mips64le"}
    | {"mips64", "mipsle", "mips", "loong64", "wasm"}
)


def parse_platform(text: str) -> tuple[str, str] | None:
    """(os, architecture) of an `os/arch[/variant]` platform, or None when
    containerd would not parse it."""
    parts = text.lower().split("/")
    if len(parts) == 1 and parts[0] in _KNOWN_OS:
        return _OS.get(parts[0], parts[0]), "amd64"  # the builder's architecture
    if len(parts) == 1 and _ARCH.get(parts[0], parts[0]) in _KNOWN_ARCH:
        return "linux", _ARCH.get(parts[0], parts[0])  # the builder's OS
    if len(parts) not in (2, 3) or not all(parts) or parts[0] not in _KNOWN_OS:
        return None
    return _OS.get(parts[0], parts[0]), _ARCH.get(parts[1], parts[1])


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for stage in stages(tree):
        if stage.from_ is None:
            continue
        flag = stage.from_.reading.flag("platform")
        if flag is None or not flag.value or "$" in flag.value:
            continue  # a variable: not a constant (BuildKit looks for any lookup)
        parsed = parse_platform(flag.value)
        if parsed is None:
            continue
        name = stage.name or ""
        if parsed[0] in name or parsed[1] in name:
            continue
        yield Finding(
            RULE,
            stage.from_,
            f'FROM --platform flag should not use constant value "{flag.value}"'
            "; not fixed: $BUILDPLATFORM, $TARGETPLATFORM or no flag build different images",
        )
