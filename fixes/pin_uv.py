"""## What it does
Pins the uv image (`ghcr.io/astral-sh/uv`) to a version wherever it is used
without one: `COPY --from=ghcr.io/astral-sh/uv:latest`, an untagged
`RUN --mount=from=ghcr.io/astral-sh/uv,…`, `FROM ghcr.io/astral-sh/uv`, and
derived tags such as `uv:python3.12-bookworm-slim` (pinned as
`uv:<version>-python3.12-bookworm-slim`). Also reports uv installed with
`pip install uv` or the `curl … | sh` installer.

## Why is this bad?
`latest` (or no tag) gives whatever uv was released last: a rebuild of the
same Dockerfile can get another uv, with other resolution results or flags.
uv's documentation calls pinning best practice. Installing uv with pip or a
piped installer script adds a Python package or a download to the image
instead of copying one static binary.

## Example
```dockerfile
COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/
```

Use instead:
```dockerfile
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/
```

## Fix safety
The version comes, in this order, from the `uv-version` option of dockfix's
configuration, or from an exact `required-version` in `[tool.uv]` of the build
context's `pyproject.toml`: the project chose it, so the fix is safe, except for a
derived image (`uv:python3.8-bookworm-slim` becomes
`uv:<version>-python3.8-bookworm-slim`): every release has its plain image,
but uv publishes derived ones only for the Pythons and distributions it
supports at that release (none before derived images existed), so the pinned
tag may not exist, and that fix is unsafe. Without
either, dockfix pins its default (the uv release current when this dockfix
was released, 0.13.9); that fix is unsafe, since it may differ from what
`latest` gives today. dockfix never looks up versions on the network.
Replacing `pip install uv` or the installer script with
`COPY --from=ghcr.io/astral-sh/uv:<version> /uv /uvx /bin/` is unsafe (the
binaries land in /bin rather than where the installer put them) and is only
offered when the `RUN` does nothing else (but for a `cd` in front of the
installer, which it does not read).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dockfix.editing import edit
from dockfix.rewrites import COPY_DEST, COPY_SOURCES, Step, compare
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import model
from dockfix.shell import commands
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF004",
    name="pin-uv",
    summary="Pin the uv image to a version",
    safety=Safety.SAFE,
    hadolint="DL3007",
)
TRIGGERS = ("uv",)  # one occurs in every file it reports on
# What BuildKit must read in the output: the same build, but for references
# to uv's image that gained a version (`uv` or `uv:latest` -> `uv:0.13.9`,
# `uv:python3.12-bookworm-slim` -> `uv:0.13.9-python3.12-bookworm-slim`),
# wherever they stand: the base image, a `--from`, a mount's `from=`.
_UV_REFERENCE = re.compile(r"ghcr\.io/astral-sh/uv(?::(?P<tag>[\w][\w.-]*))?(?![\w.-])")
_VERSION_TAG = re.compile(r"\d+\.\d+(?:\.\d+)*(?:-(?P<rest>[\w][\w.-]*))?")


def _as_before(new: str) -> str:
    """`new` with the versions the fix gives uv's image taken off again."""

    def unpinned(m: re.Match[str]) -> str:
        version = _VERSION_TAG.fullmatch(m["tag"] or "")
        if version is None:
            return m[0]
        return IMAGE + (f":{version['rest']}" if version["rest"] else "")

    return _UV_REFERENCE.sub(unpinned, new)


def _untagged(old: str) -> str:
    """`old` with `uv:latest` read as the untagged `uv` (the same image)."""
    return _UV_REFERENCE.sub(lambda m: IMAGE if m["tag"] in (None, "latest") else m[0], old)


def _pinned_only(old: object, new: object, where: str = "the build") -> str | None:
    """Why `new` (a part of the build model) is not `old` with uv's image
    pinned in some of its strings, or None."""
    if isinstance(old, str) and isinstance(new, str):
        if old == new or _untagged(old) == _untagged(_as_before(new)):
            return None
        return f"{where}: {old!r} became {new!r}"
    if isinstance(old, (tuple, list)) and isinstance(new, (tuple, list)):
        if len(old) != len(new):
            return f"{where}: the number of parts changed"
        for a, b in zip(old, new, strict=True):
            why = _pinned_only(a, b, where)
            if why is not None:
                return why
        return None
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() != new.keys():
            return f"{where}: other settings"
        for key in old:
            why = _pinned_only(old[key], new[key], f"{where} ({key})")
            if why is not None:
                return why
        return None
    return None if old == new else f"{where}: {old!r} became {new!r}"


def _pinned_step(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A step whose references to uv's image gained a version."""
    if i < len(old) and j < len(new) and _pinned_only(old[i], new[j]) is None:
        return (1, 1)
    return None


def _installer_replaced(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """The installer's `RUN` step became a copy of uv's binaries from its
    image (pinned) into /bin/."""
    a, b = old[i] if i < len(old) else None, new[j] if j < len(new) else None
    if a is None or b is None or a[0] != "run" or b[0] != "copy":
        return None
    written = b[4] if isinstance(b[4], tuple) else ()
    flags = {f[0]: f[1] for f in written if isinstance(f, tuple) and len(f) == 2}
    source = flags.get("from")
    if (
        b[COPY_SOURCES] != ("/uv", "/uvx")
        or b[COPY_DEST] != "/bin/"
        or set(flags) != {"from"}
        or not isinstance(source, str)
        or _as_before(source) == source
    ):
        return None
    return (1, 1)


def pins_uv_only(before: Dockerfile, after: Dockerfile) -> str | None:
    """The post-condition of both fixes (a round may apply both): steps
    pinned or the installer replaced, and every base image and image
    setting the same but for pinned references (the history follows the
    steps)."""
    old, new = model(before), model(after)
    if len(old.stages) != len(new.stages):
        return "the stages changed"
    for k, (a, b) in enumerate(zip(old.stages, new.stages, strict=True)):
        why = _pinned_only(a.base, b.base, "base") or _pinned_only(a.config, b.config, "config")
        if why is not None:
            return f"stage {k + 1}: {why}"
    return compare(old, new, (_pinned_step, _installer_replaced), ("history", "base", "config"))


POSTCONDITION = pins_uv_only

DEFAULT_UV_VERSION = "0.13.9"
IMAGE = "ghcr.io/astral-sh/uv"
_REF = re.compile(
    r"\A(?P<image>ghcr\.io/astral-sh/uv)(?::(?P<tag>[\w][\w.-]*))?(?P<digest>@\S+)?\Z"
)
_VERSIONED = re.compile(r"\A\d+(\.\d+)*([.-]|\Z)")
_EXACT = re.compile(r"\A\s*(?:==\s*)?(\d+\.\d+\.\d+)\s*\Z")
_INSTALLER = re.compile(r"astral\.sh/uv/(?:[\d.]+/)?install\.sh")


def pinned_ref(ref: str, version: str) -> str | None:
    """`ref` pinned to `version`, or None if it is not the uv image or is pinned."""
    m = _REF.match(ref)
    if not m or m.group("digest"):
        return None
    tag = m.group("tag")
    if tag is None or tag == "latest":
        return f"{IMAGE}:{version}"
    if _VERSIONED.match(tag):
        return None
    return f"{IMAGE}:{version}-{tag}"


def chosen_version(context: Context) -> tuple[str, Safety, str]:
    """The version to pin to, whether that is safe, and where it came from."""
    if context.settings.uv_version:
        return context.settings.uv_version, Safety.SAFE, "uv-version in the configuration"
    text = context.read("pyproject.toml")
    if text is not None:
        import tomllib  # only with a pyproject.toml to read (costs a start ~10 ms)

        try:
            tool = tomllib.loads(text).get("tool", {})
        except tomllib.TOMLDecodeError:
            tool = {}
        required = tool.get("uv", {}).get("required-version") if isinstance(tool, dict) else None
        if isinstance(required, str) and (m := _EXACT.match(required)):
            return m.group(1), Safety.SAFE, "required-version in pyproject.toml"
    return DEFAULT_UV_VERSION, Safety.UNSAFE, "dockfix's default"


def derived(ref: str) -> bool:
    """Whether `ref` names one of uv's derived images (`uv:python3.12-bookworm`,
    `uv:debian`): a tag that is neither a version nor `latest`."""
    m = _REF.match(ref)
    tag = m.group("tag") if m else None
    return tag is not None and tag != "latest" and not _VERSIONED.match(tag)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    version, safety, source = chosen_version(context)
    for node in tree.instructions:
        target = node.reading
        if target.keyword == "from" and target.words:
            word = target.words[0]
            new = pinned_ref(word.text, version)
            if new is not None:
                fixed = edit(node, word.span.start, word.span.end, new)
                yield _finding(node, fixed, word.text, version, source, safety, derived(word.text))
                continue
        for flag in target.flags:
            new_flag = _pinned_flag(target.keyword, flag.name, flag.value, version)
            if new_flag is not None:
                fixed = edit(node, flag.span.start, flag.span.end, new_flag)
                yield _finding(
                    node, fixed, flag.text, version, source, safety, derived(_flag_ref(flag.text))
                )
                break
        else:
            if target.keyword == "run" and not target.json and not node.heredocs:
                yield from _installer(tree, node, version)


def _pinned_flag(keyword: str, name: str, value: str | None, version: str) -> str | None:
    if value is None:
        return None
    if keyword in ("copy", "add") and name == "from":
        new = pinned_ref(value, version)
        return f"--from={new}" if new else None
    if keyword == "run" and name == "mount":
        options = value.split(",")
        for i, option in enumerate(options):
            key, eq, ref = option.partition("=")
            if eq and key == "from" and (new := pinned_ref(ref, version)):
                options[i] = f"from={new}"
                return "--mount=" + ",".join(options)
    return None


def _flag_ref(flag: str) -> str:
    """The image a `--from=` or `--mount=…,from=…` flag names."""
    value = flag.partition("=")[2]
    if flag.startswith("--mount"):
        options = dict(o.partition("=")[::2] for o in value.split(","))
        return options.get("from", "")
    return value


def _finding(
    node: Instruction,
    fixed: Instruction,
    what: str,
    version: str,
    source: str,
    safety: Safety,
    derived: bool = False,
) -> Finding:
    message = f"uv image is not pinned ({what}); pin it to {version} ({source})"
    if derived and safety is Safety.SAFE:
        # Every release has its plain `uv:<version>` image, but the derived
        # ones only for the Pythons and distributions it supported then.
        safety = Safety.UNSAFE
        message += f" (unsafe: uv {version} may not have published this derived image)"
    return Finding(
        RULE,
        node,
        message,
        Fix(
            (Edit((node,), (fixed,)),), safety, f"Pin uv to {version}", postcondition=POSTCONDITION
        ),
    )


def _installer(tree: Dockerfile, run: Instruction, version: str) -> Iterator[Finding]:
    rest = run.reading.rest
    cmds = commands(rest)
    if cmds is None:
        return
    pip = [c for c in cmds if _is_pip_install_uv(c.name, c.args)]
    curl = bool(_INSTALLER.search(rest))
    if not pip and not curl:
        return
    how = "pip install uv" if pip else "the uv installer script"
    # A `cd /tmp &&` in front changes nothing the installer does (it installs
    # into ~/.local/bin whatever the folder), nor anything after the RUN.
    if len(cmds) == 3 and cmds[0].name == "cd" and cmds[1].before == "&&":
        cmds = cmds[1:]
    only = (len(cmds) == 1 and bool(pip)) or (
        curl and len(cmds) == 2 and cmds[0].name in ("curl", "wget") and cmds[1].before == "|"
    )
    fix = None
    if only and not run.reading.flags:
        copy = tree.style.instruction("COPY", f"--from={IMAGE}:{version} /uv /uvx /bin/")
        fix = Fix(
            (Edit((run,), (copy,)),),
            Safety.UNSAFE,
            "Copy uv from its image",
            postcondition=POSTCONDITION,
        )
    yield Finding(
        RULE,
        run,
        f"uv installed with {how}; copy it from {IMAGE}:{version} instead",
        fix,
    )


def _is_pip_install_uv(name: str, args: list[str]) -> bool:
    if name in ("python", "python3") and args[:2] == ["-m", "pip"]:
        args = args[2:]
    elif name not in ("pip", "pip3"):
        return False
    if not args or args[0] != "install":
        return False
    return any(re.fullmatch(r"uv(\[[\w,]*\])?([=<>~!]=?[\w.*]+)?", a) for a in args[1:])
