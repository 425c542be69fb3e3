"""## What it does
Finds `ENV PATH="${PATH}:/opt/venv/bin"` (or `$PATH:…`), which appends a
directory to `PATH`, and moves the directory in front:
`ENV PATH="/opt/venv/bin:${PATH}"`.

## Why is this bad?
`PATH` is searched in order. Appended after the system directories, a virtual
environment's `bin` loses to them: `python` and `pip` are the system's, and
the packages installed into the virtual environment are not the ones used.

## Example
```dockerfile
ENV VIRTUAL_ENV=/opt/venv
ENV PATH="${PATH}:/opt/venv/bin"
```

Use instead:
```dockerfile
ENV VIRTUAL_ENV=/opt/venv
ENV PATH="/opt/venv/bin:${PATH}"
```

## Fix safety
Safe when every appended directory is a virtual environment's `bin`: the value
of `VIRTUAL_ENV` set earlier in the stage followed by `/bin` (or
`$VIRTUAL_ENV/bin`), or a path ending in `/venv/bin` or `/.venv/bin`; putting
it first is what activating the environment does.
When the stage, or a stage it is built FROM, installed Python packages
for the system's interpreter before the `ENV` (`pip install` run as `pip`,
`pip3` or `python -m pip`, `uv pip install --system`, `apt-get install
python3-…`), the fix is unsafe: that venv may be a tool's, appended on
purpose, and with it first `python` in `CMD` or a later `RUN` would be the
venv's, which does not see those packages. Any other directory appended
is left alone, unreported: first, it would shadow the system's commands of
the same name, which may or may not be meant, and appending a tool's
folder is a common, deliberate choice. A virtual environment's `bin`
appended together with other folders is reported without a fix. The system's own folders
(`/usr/bin`, `/usr/local/bin`, …) appended again are left alone: PATH holds
them already, and moving them first would reorder the system's.
Only the `PATH` pair is rewritten; other pairs and the layout stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.editing import edit
from dockfix.packages import program
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_env
from dockfix.shell import commands
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF002",
    name="path-prepend",
    summary="Directories appended to PATH lose to the system's; prepend them",
    safety=Safety.SAFE,
)
TRIGGERS = ("path",)  # one occurs in every file it reports on

# What BuildKit must read in the output: the same build but for PATH's value.
POSTCONDITION = keeps_env(["PATH"])

# `$PATH:` or `${PATH}:` at the start of the value, inside optional double quotes.
_APPENDED = re.compile(r"""\A(?P<q>"?)(?P<ref>\$PATH|\$\{PATH\}):(?P<dirs>[^"'`\\]+?)(?P=q)\Z""")


def _is_venv_bin(directory: str, venv: str | None) -> bool:
    directory = directory.rstrip("/")
    if directory in ("$VIRTUAL_ENV/bin", "${VIRTUAL_ENV}/bin"):
        return venv is not None
    if venv is not None and directory == venv.rstrip("/") + "/bin":
        return True
    return directory.endswith(("/venv/bin", "/.venv/bin"))


def _virtual_env(env: Instruction, value: str | None) -> str | None:
    """The literal value of VIRTUAL_ENV after `env`, given `value` before it
    (None: not set, or not literal)."""
    for pair in env.reading.pairs:
        if pair.key == "VIRTUAL_ENV":
            raw = pair.value.strip('"')
            value = raw if "$" not in raw and "'" not in raw else None
    return value


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        venv: str | None = None  # as the ENVs before in the stage set it
        # Python packages installed for the system's interpreter, by the
        # stages this one is built FROM or by an earlier RUN of its own.
        system = any(
            _system_install(node)
            for parent in ancestry(all_stages, stage)[1:]
            for node in parent.instructions
        )
        for instruction in stage.instructions:
            if instruction.keyword == "env":
                yield from _check_env(instruction, venv, system)
                venv = _virtual_env(instruction, venv)
            system = system or _system_install(instruction)


# pip, pip3, pip3.12; python, python3, python3.12 (with -m pip).
_PIP = re.compile(r"\Apip(\d+(\.\d+)?)?\Z")
_PYTHON = re.compile(r"\Apython(\d+(\.\d+)?)?\Z")


def _system_install(node: Instruction) -> bool:
    """Whether this RUN may install Python packages for the system's
    interpreter: a `pip install` (or `python -m pip install`) not run from a
    venv's own folder, `uv pip install --system`, or an apt-get/apk/dnf/yum
    install of `python3-…` packages. A RUN dockfix cannot read counts when it
    names pip."""
    if node.keyword != "run":
        return False
    text = node.reading.rest + "".join(h.code for h in node.heredocs)
    cmds = None if node.reading.json or node.heredocs else commands(node.reading.rest)
    if cmds is None:
        return bool(re.search(r"\bpip[\d.]*\s+install\b", text))
    for cmd in cmds:
        name, args = program(cmd), cmd.args
        if name in (".", "source") and args and args[0].endswith("/bin/activate"):
            return False  # the pip commands after it are the environment's
        folder = cmd.name.rpartition("/")[0]
        if folder and folder not in _SYSTEM_DIRS:
            continue  # /opt/venv/bin/pip: that environment's own
        if _PIP.match(name) and "install" in args:
            return True
        if _PYTHON.match(name) and args[:2] == ["-m", "pip"] and "install" in args:
            return True
        if name in ("uv", "uvx") and args[:2] == ["pip", "install"] and "--system" in args:
            return True
        if name in ("apt-get", "apt", "apk", "dnf", "yum", "microdnf") and any(
            a.startswith(("python3-", "py3-", "python-")) and a.split("=")[0] not in _TOOLING
            for a in args
        ):
            return True
    return False


# Distribution packages of the interpreter's own tooling, not libraries an
# application imports.
_TOOLING = frozenset(
    f"{prefix}{name}"
    for prefix in ("python3-", "py3-")
    for name in ("venv", "pip", "dev", "devel", "full", "minimal", "setuptools", "wheel")
) | {"python-is-python3", "python3-distutils"}


def _check_env(env: Instruction, venv: str | None, system: bool) -> Iterator[Finding]:
    for pair in env.reading.pairs:
        if pair.key != "PATH" or pair.legacy:
            continue
        m = _APPENDED.match(pair.value)
        if not m:
            continue
        dirs = [d for d in m.group("dirs").split(":") if d]
        if not dirs:
            continue
        if any(d.rstrip("/") in _SYSTEM_DIRS for d in dirs):
            return  # the system's own folders: moving them first would reorder the system's
        shown = ":".join(dirs)
        venvs = [d for d in dirs if _is_venv_bin(d, venv)]
        if not venvs:
            # Another tool's folder, appended: first, it would shadow the
            # system's commands of the same name. Which should win is the
            # author's call, and appending is a common, deliberate one.
            return
        if len(venvs) < len(dirs):
            others = ":".join(d for d in dirs if d not in venvs)
            yield Finding(
                RULE,
                env,
                f"PATH puts the virtual environment's {':'.join(venvs)} after the system "
                f"directories, with {others} (not a virtual environment's bin); prepend the "
                "environment's (not done here: moving the others too is the author's call)",
            )
            return
        quote, ref = m.group("q"), m.group("ref")  # quoted as the value was
        new_value = f"{quote}{shown}:{ref}{quote}"
        start = pair.span.start + len("PATH=")
        fixed = edit(env, start, pair.span.end, new_value)
        message = (
            f"PATH puts the virtual environment's {shown} after the system directories; prepend it"
        )
        if system:
            message += (
                " (unsafe: Python packages were installed for the system's interpreter "
                "before it; with the environment first, `python` is the environment's, "
                "which does not see them)"
            )
        yield Finding(
            RULE,
            env,
            message,
            Fix(
                (Edit((env,), (fixed,)),),
                Safety.UNSAFE if system else Safety.SAFE,
                "Prepend to PATH",
                postcondition=POSTCONDITION,
            ),
        )
        return  # one PATH per instruction is enough; a second run finds the rest


# Folders of the system's own commands, which PATH holds already.
_SYSTEM_DIRS = frozenset(
    {"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"}
)
