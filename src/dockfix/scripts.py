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
from collections.abc import Callable, Sequence

from dockfix import contextfiles
from dockfix.buildcontext import resolve, within
from dockfix.packages import script_path
from dockfix.rule import Context
from dockfix.shell import Command, commands
from dockfix.tree import Instruction

# Scripts larger than this are not read (an installer is a few kilobytes).
LIMIT = 64 * 1024
_OPAQUE = set("$`*?[~{")

# What reads the script a command runs, given the commands of its script.
Reader = Callable[[Command, Sequence[Command]], str | None]


def script_text(
    context: Context, before: Sequence[Instruction], cmd: Command, cmds: Sequence[Command] = ()
) -> str | None:
    """The text of the build-context file that `cmd` (one of `cmds`, the
    commands of its script) runs as a script, in a RUN preceded (in its stage
    and the stages it is built FROM) by `before`; None when the file does not
    show it."""
    if context.build_context is None:
        return None
    token = script_path(cmd)
    if token is None or _OPAQUE & set(token):
        return None
    folders = _workdirs(before)
    followed, cwd = _cd_folder(folders[-1] if folders else None, cmd, cmds)
    if not followed:
        return None
    image = resolve(cwd, token)
    if image is None:
        return None
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
    if any(n.keyword == "run" and _may_change(n, name) for n in before[since:]):
        return None  # a RUN since may have changed it
    return contextfiles.read_small(context, found, LIMIT)


# Commands that change a file's mode or owner, or only look at it: its text
# stays what was copied (`RUN chmod +x /tmp/install.sh` before running it).
_KEEP_TEXT = frozenset({"chmod", "chown", "chgrp", "ls", "stat", "test", "[", "file"})


def _may_change(run: Instruction, name: str) -> bool:
    """Whether `run` may change (or replace) a file named `name`: it names it
    other than as an argument of a plain command of `_KEEP_TEXT` (no
    redirection, no substitution), or cannot be read."""
    text = run.reading.rest
    if name not in text:
        return False
    if run.reading.json or run.heredocs:
        return True
    cmds = commands(text)
    if cmds is None:
        return True
    found = [c for c in cmds if any(name in w.text for w in c.words)]
    if sum(w.text.count(name) for c in found for w in c.words) != text.count(name):
        return True  # named somewhere the commands' words do not show
    return any(c.name not in _KEEP_TEXT or any(_SIDE & set(w.text) for w in c.words) for c in found)


_SIDE = set("<>`$")  # a redirection or a substitution may write the file


def _workdirs(before: Sequence[Instruction]) -> list[str | None]:
    """The working directory after each of `before` (None: not known; the
    base image's is not)."""
    out: list[str | None] = []
    workdir: str | None = None
    for node in before:
        if node.keyword == "workdir":
            path = " ".join(node.reading.args)
            workdir = None if _OPAQUE & set(path) else resolve(workdir, path)
        out.append(workdir)
    return out


def _cd_folder(
    workdir: str | None, cmd: Command, cmds: Sequence[Command]
) -> tuple[bool, str | None]:
    """The folder `cmd` runs in (None: not known): the working directory,
    changed by the `cd`s with a literal folder before it in a plain `&&`
    chain from the start of the script (`cd / && ./install.sh`); first False
    where a `cd` before it cannot be followed (in a subshell, a branch, after
    `;`, to a variable)."""
    index = next((k for k, c in enumerate(cmds) if c is cmd), None)
    if index is None:
        return True, workdir
    folder = workdir
    straight = True
    for c in cmds[:index]:
        straight = straight and c.before in ("", "&&") and c.after == "&&"
        if c.name in ("cd", "pushd", "popd"):
            args = [a for a in c.args if a != "--"]
            if not straight or c.name != "cd" or len(args) != 1:
                return False, None
            if _OPAQUE & set(args[0]) or args[0] == "-":
                return False, None
            folder = resolve(folder, args[0])
    return True, folder


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
    target = resolve(workdir, dest)
    if target is None:
        return None
    folder = dest.endswith("/") or len(sources) > 1
    inside = image != target and within(image, target)
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
    target = None if _OPAQUE & set(dest) else resolve(workdir, dest)
    return target is None or within(image, target)
