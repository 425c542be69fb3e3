"""The scripts of the build context that a RUN runs, read where the file shows them.

`RUN ./install-deps.sh` runs a file the build put into the image. When the
file shows where it came from (a `COPY` or `ADD` of the build context, with
literal paths, to the path the `RUN` names from its working directory), its
text can be read, so that a fix need not assume the worst of it (that it
runs `apt-get install` from lists an earlier `RUN` left, say). Anything not
shown (a variable, a wildcard, `COPY --from`, a URL, an unknown working
directory, a file the build context does not hold) gives None.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from dockfix import contextfiles
from dockfix.packages import program
from dockfix.rule import Context
from dockfix.shell import Command
from dockfix.tree import Instruction

# Scripts larger than this are not read (an installer is a few kilobytes).
LIMIT = 64 * 1024
_SHELLS = frozenset({"sh", "ash", "bash", "dash", "busybox"})
_OPAQUE = set("$`*?[~{")


def script_path(cmd: Command) -> str | None:
    """The path of the script `cmd` runs (`sh setup.sh`, `./setup.sh`)."""
    if program(cmd) in _SHELLS:
        return cmd.args[0] if cmd.args and not cmd.args[0].startswith("-") else None
    # A name without a slash is looked up in PATH, not in the working directory.
    return cmd.name if "/" in cmd.name else None


def script_text(context: Context, before: Sequence[Instruction], cmd: Command) -> str | None:
    """The text of the build-context file that `cmd` runs as a script, in a
    RUN preceded (in its stage and the stages it is built FROM) by `before`;
    None when the file does not show it."""
    if context.build_context is None:
        return None
    token = script_path(cmd)
    if token is None or _OPAQUE & set(token):
        return None
    folders = _workdirs(before)
    workdir = folders[-1] if folders else None
    if token.startswith("/"):
        image = posixpath.normpath(token)
    elif workdir is None:
        return None
    else:
        image = posixpath.normpath(posixpath.join(workdir, token))
    found: str | bool | None = False
    since = 0
    for k, (node, folder) in enumerate(zip(before, folders, strict=True)):
        if node.keyword in ("copy", "add"):
            where = _copied_from(node, folder, image)
            if where is not False:
                found, since = where, k  # a later copy to the path replaces an earlier one
    if not isinstance(found, str):
        return None
    name = posixpath.basename(image)
    if any(n.keyword == "run" and name in n.reading.rest for n in before[since:]):
        return None  # a RUN since may have changed it
    return contextfiles.read_small(context, found, LIMIT)


def _workdirs(before: Sequence[Instruction]) -> list[str | None]:
    """The working directory after each of `before` (None: not known; the
    base image's is not)."""
    out: list[str | None] = []
    workdir: str | None = None
    for node in before:
        if node.keyword == "workdir":
            path = " ".join(node.reading.args)
            if _OPAQUE & set(path):
                workdir = None
            elif path.startswith("/"):
                workdir = posixpath.normpath(path)
            elif workdir is not None:
                workdir = posixpath.normpath(posixpath.join(workdir, path))
        out.append(workdir)
    return out


def _copied_from(node: Instruction, workdir: str | None, image: str) -> str | bool | None:
    """The build-context path a COPY/ADD put at `image`; None when it may
    have put something there that cannot be read; False when it did not."""
    reading = node.reading
    args = list(reading.args)
    if len(args) < 2:
        return False
    *sources, dest = args
    flags = [f.text for f in reading.flags]
    if any(f.startswith("--from") for f in flags) or node.heredocs:
        return None if _may_reach(dest, workdir, image) else False
    if _OPAQUE & set(dest) or any(_OPAQUE & set(s) or "://" in s for s in sources):
        return None if _may_reach(dest, workdir, image) else False
    if dest.startswith("/"):
        target = dest
    elif workdir is None:
        return None
    else:
        target = posixpath.join(workdir, dest)
    folder = dest.endswith("/") or len(sources) > 1
    target = posixpath.normpath(target)
    inside = image.startswith(target.rstrip("/") + "/")
    rest = posixpath.relpath(image, target) if inside else ""
    for source in sources:
        clean = posixpath.normpath(source.lstrip("/")) if source.strip("/") else "."
        if not folder and image == target:
            return clean
        if folder and rest == posixpath.basename(clean):
            return clean
    if inside and len(sources) == 1:
        # A folder copied to the target: its files are under it.
        return posixpath.normpath(posixpath.join(clean, rest))
    return None if image == target or inside else False


def _may_reach(dest: str, workdir: str | None, image: str) -> bool:
    """Whether a copy to `dest` may have put a file at `image`."""
    if _OPAQUE & set(dest) or (not dest.startswith("/") and workdir is None):
        return True
    target = posixpath.normpath(
        dest if dest.startswith("/") else posixpath.join(workdir or "/", dest)
    )
    return image == target or image.startswith(target.rstrip("/") + "/")
