"""Which folder is a Dockerfile's build context, when nobody said.

`docker build -f docker/Dockerfile .` builds from the folder above the
Dockerfile's; nothing in the file says so, but what it copies and runs does:
every local source of a `COPY` or `ADD` must be in the build context, or the
build fails (`not found`). So, when `--build-context` is not given, the file
is read for `Evidence`:

1. Its *literal* local sources (`sources`, required): those of `COPY` and
   `ADD` without `--from`, with no variable, no heredoc, no URL or git
   source, and not the context root itself (`.`). A leading `/` and `..` stay
   inside the context, as BuildKit reads them.
2. Hints (`hints`, what the context should hold; each is a tuple of
   alternatives, one of which is enough):

   - A wildcard source's folder part (the components before the first one
     with a wildcard): `./docker/apache/*.conf` needs `docker/apache`.
     BuildKit lets a wildcard match nothing (the Dockerfile front end sets
     `AllowEmptyWildcard`, `dockerfile2llb/convert_copy.go`), but not a
     missing folder part: the file op (`solver/llbsolver/file/backend.go`,
     `docopy`) resolves the wildcard with fsutil's `copy.ResolveWildcards`,
     which splits the path at its first wildcard component and
     `filepath.Walk`s the folder part; Walk hands the walk function its
     `lstat` error, which is returned, so the COPY fails with `lstat
     .../docker/apache: no such file or directory` (moby/buildkit#2933:
     `COPY folder/a/* folder/b/* /dest/` fails when `folder/b` is missing,
     though `folder/a` matched). With `COPY --parents` a wildcard is an
     include filter instead (no walk, no error: moby/buildkit#4900), so it
     shows nothing. It is a hint, not a required source, because such a
     folder is often one the build's instructions ask to create (a
     `patches/` folder to drop files into, absent from the repository): its
     absence from every folder says nothing about which one is the context.
   - After a copy of the whole context (`COPY . /src`), files the later
     instructions of the stage use from the copy: the Makefile of a `make`
     run where the copy landed (`Makefile`, `makefile` or `GNUmakefile`; no
     `-C`/`-f`, and nothing before it in the stage that may write a Makefile:
     `configure`, `cmake`, ...), and a script a RUN, CMD or ENTRYPOINT runs
     from under the copy (`/src/packaging/build.sh`, `./build.sh`, `python
     manage.py`: a `.sh`, `.bash` or `.py` path with no variable or
     wildcard); and the manifest a build tool reads where it runs:
     `CMakeLists.txt` in the source folder of a `cmake` configure (`-S DIR`,
     its folder argument, or the folder it runs in with `-B` alone),
     `package.json` for `npm ci`, `npm install`, `yarn install` and `pnpm
     install` without package names, `Cargo.toml` for `cargo build`,
     `install` (without a crate name), `test` or `fetch`, `pom.xml` for
     `mvn` (none of them told to look elsewhere: `--prefix`, `--cwd`,
     `--manifest-path`, `-f`). A file another COPY/ADD puts there, or that an
     earlier command of the stage names, is not counted (it may come from
     elsewhere).
3. Whether it copies the whole context (`whole`: a source `.`, `./` or `/`).

Then:

1. When the Dockerfile's folder holds every source and every hint, it is the
   context (what dockfix always assumed), unless it holds nothing but
   Dockerfiles and ignore files while the file copies the whole context
   (a `docker/` folder of `Dockerfile.*` with `COPY . .`: copying it would
   copy Dockerfiles only). A file a wildcard or a variable names may be one
   a script puts into the folder before the build (a downloaded `.msi`), so
   only a copy of the whole context counts.
2. Otherwise the folders above it are looked at, up to the repository root
   (the first folder holding `.git`) or `MAX_LEVELS` folders up, whichever
   comes first. When a source is missing from the Dockerfile's folder, the
   one folder among them that holds every source is the context (hints
   break a tie between several). When the sources are all there but a hint
   is not, a hint no folder holds is dropped (the build makes it: a drop
   folder, a generated script) and the one folder above that holds every
   source and every hint (and is not itself a folder of Dockerfiles) is
   the context. A folder of Dockerfiles with no hint pointing above stays
   unknown: nothing says which folder it is built from.
3. When no folder fits, or several do, the context is unknown: `root` is
   None and `reason` says why. Fixes that read the context then refuse,
   saying so, rather than read (or write a `.dockerignore` into) a folder
   BuildKit may never see.

A file with no `COPY` or `ADD` costs one pass over its instructions: the
RUNs, CMDs and ENTRYPOINTs are only read after a copy of the whole context.
`--build-context` (or a front end's explicit context) is used as it is.
The command line, the stdin path and the language server all go through
`locate` (from `dockfix.core.fix_text`), so they agree.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dockfix.contextfiles import has_wildcard
from dockfix.files import is_dockerfile_name
from dockfix.shell import Command, commands, top_level
from dockfix.tree import Dockerfile, Instruction
from dockfix.words import WordError, process_word

# How many folders above the Dockerfile's are looked at when no `.git` marks
# the repository's root before.
MAX_LEVELS = 4

Hint = tuple[str, ...]  # paths the context should hold one of

# gitutil.IsImplicitSSHTransport: `user@host:path` is a git repository over ssh.
SCP_GIT = re.compile(r"\A[A-Za-z0-9_-]+@[A-Za-z0-9.-]+:")


@dataclass(frozen=True)
class Evidence:
    """What a Dockerfile shows of its build context (see the module's doc):
    the paths it must hold, those it should hold, and whether it copies the
    whole context."""

    sources: tuple[str, ...] = ()
    hints: tuple[Hint, ...] = ()
    whole: bool = False


@dataclass(frozen=True)
class Located:
    """The build context chosen for a Dockerfile, and how.

    root: the context (None: unknown). given: passed explicitly
    (`--build-context`). folder: the Dockerfile's folder, where the search
    started (None: the text has no folder on disk). sources, hints, whole:
    the evidence read (`Evidence`). reason: why the context is unknown, or
    how a folder other than the Dockerfile's was chosen (empty otherwise).
    """

    root: Path | None
    given: bool = False
    folder: Path | None = None
    sources: tuple[str, ...] = ()
    reason: str = ""
    hints: tuple[Hint, ...] = ()
    whole: bool = False

    @property
    def elsewhere(self) -> bool:
        """Found above the Dockerfile's folder (neither given nor its folder)."""
        return not self.given and self.root is not None and self.root != self.folder


def given(root: Path) -> Located:
    return Located(root, given=True)


def literal_sources(tree: Dockerfile) -> tuple[str, ...]:
    """The context paths the file's `COPY` and `ADD` name literally (see the
    module's doc), normalised (no `./`, no leading `/`), each once, in order."""
    return evidence(tree).sources


def evidence(tree: Dockerfile) -> Evidence:
    """What `tree` shows of its build context (see the module's doc)."""
    sources: list[str] = []
    hints: list[Hint] = []
    whole = False
    for node in tree.instructions:
        reading = node.reading
        if reading.keyword not in ("copy", "add") or reading.flag("from") is not None:
            continue
        for kind, path in _sources(node):
            if kind == "root":
                whole = True
            elif kind == "path" and path not in sources:
                sources.append(path)
            elif kind == "folder" and (path,) not in hints:
                hints.append((path,))
    if whole:
        for hint in _used(tree):
            if hint not in hints and not any(h in sources for h in hint):
                hints.append(hint)
    return Evidence(tuple(sources), tuple(hints), whole)


def _sources(node: Instruction) -> Iterator[tuple[str, str]]:
    """Each local source of a COPY/ADD as (kind, path): "path" (a literal
    path), "folder" (a wildcard's folder part), "root" (the whole context)."""
    reading = node.reading
    heredocs = {h.spec.name for h in node.heredocs}
    add = reading.keyword == "add"
    parents = reading.flag("parents") is not None
    for raw in reading.args[:-1]:
        found = _literal(raw, node.escape, reading.json, add, heredocs, parents)
        if found is not None:
            yield found


def _literal(
    raw: str, escape: str, json: bool, add: bool, heredocs: set[str], parents: bool = False
) -> tuple[str, str] | None:
    if "$" in raw or (raw.startswith("<<") and raw.lstrip("<-").strip("'\"") in heredocs):
        return None
    if json:
        if any(c in raw for c in "\"'") or escape in raw:
            return None
        value = raw
    else:
        try:
            value = process_word(raw, lambda name: None, escape)
        except WordError:
            return None
    lowered = value.lower()
    if not value or "://" in lowered or lowered.startswith("git@") or ".git#" in lowered:
        return None
    if add and SCP_GIT.match(value):
        return None  # `user@host:repo.git`: BuildKit clones it (gitutil's scp-like URL)
    first = value.split("/", 1)[0]
    if add and "/" in value and "." in first and first not in (".", ".."):
        return None  # `github.com/…`: ADD may read a host's name as a git source
    clean = _clean(value)
    wild = next((i for i, part in enumerate(clean) if has_wildcard(part)), None)
    if wild is not None:
        if parents or not wild:
            return None  # an include filter (`--parents`), or a pattern of the root
        return "folder", "/".join(clean[:wild])  # the folder BuildKit walks
    if not clean:
        return "root", ""
    return "path", "/".join(clean)


def _clean(value: str) -> list[str]:
    """A source's components, cleaned as BuildKit cleans it (`..` never
    leaves the context)."""
    clean: list[str] = []
    for part in value.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if clean:
                clean.pop()
        else:
            clean.append(part)
    return clean


# --- What the instructions after a copy of the whole context use from it ---

MAKEFILES: Hint = ("Makefile", "makefile", "GNUmakefile")
_MAKE = frozenset({"make", "gmake"})
_MAKE_ELSEWHERE = ("-C", "-f", "--file", "--makefile", "--directory")
# Words that, anywhere in the stage before a `make`, may write its Makefile.
_WRITES_MAKEFILE = re.compile(
    r"configure|cmake|autoreconf|autogen|automake|aclocal|bootstrap|qmake|meson|"
    r"premake|phpize|imake|gyp|Makefile|makefile|\./config\b"
)
_SCRIPT = re.compile(r"\.(sh|bash|py)\Z")
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})
_PYTHON = re.compile(r"\Apython[0-9.]*\Z")
# Options that may come before the script an interpreter runs.
_SHELL_FLAGS = re.compile(r"\A-[exuvo]+\Z")
_PYTHON_FLAGS = frozenset({"-u", "-B", "-O", "-OO", "-E", "-s", "-S", "-I", "-b", "-q"})
# Commands that name a script without making or changing where it comes from.
_READERS = frozenset({"chmod", "dos2unix", "ls", "cat", "test", "[", "file", "stat"})


def _used(tree: Dockerfile) -> Iterator[Hint]:
    """The hints the RUNs, CMDs and ENTRYPOINTs after a copy of the whole
    context give (see the module's doc), stage by stage."""
    stage = 0
    cwd: str | None = None  # None: not known (a variable)
    copies: list[str] = []  # where the stage copied the whole context
    landed: list[tuple[str, bool]] = []  # what its other COPY/ADD put (see `_landed`)
    said: list[str] = []  # what the stage's commands said
    for node in tree.instructions:
        reading = node.reading
        keyword = reading.keyword
        if keyword == "from":
            stage += 1
            cwd, copies, landed, said = f"/\0{stage}", [], [], []  # the base image's folder
        elif not stage:
            continue
        elif keyword == "workdir":
            cwd = resolve(cwd, _read_word(node, reading.args[0])) if reading.args else cwd
        elif keyword in ("copy", "add"):
            dest = (
                resolve(cwd, _read_word(node, reading.args[-1])) if len(reading.args) > 1 else None
            )
            plain = reading.flag("from") is None and reading.flag("exclude") is None
            if plain and any(kind == "root" for kind, _ in _sources(node)):
                if dest is not None:
                    copies.append(dest)
                if len(reading.args) == 2:
                    continue
            landed.extend(_landed(node, dest))
        elif keyword in ("run", "cmd", "entrypoint"):
            read = _commands(node)
            if read is None:
                said.append("? " + reading.rest)  # not read: it may have made anything
                continue
            script, found = read
            here = cwd
            for command in found:
                if keyword == "run" and command.name in ("cd", "pushd", "popd"):
                    here = _moved(script, command, here)
                hint = _hint(command, here, copies, landed, said) if copies else None
                if hint is not None:
                    yield hint
                said.append(" ".join(w.value for w in command.words))


def _landed(node: Instruction, dest: str | None) -> list[tuple[str, bool]]:
    """What a COPY/ADD (not of the whole context) may put in the image, as
    (path, exact): the path itself (exact), or anything under it. A literal
    source named like a file (`go.mod`, `package.json`: a dot after its first
    character) lands at the destination or in it under its own name; any
    other source (a folder's contents, a wildcard, an archive ADD unpacks,
    another stage's files) anywhere under the destination."""
    if dest is None:
        return [("/", False)]
    reading = node.reading
    found = list(_sources(node))
    if (
        reading.keyword == "add"
        or reading.flag("from") is not None
        or len(found) != len(reading.args) - 1
        or any(kind != "path" or "." not in path.rpartition("/")[2][1:] for kind, path in found)
    ):
        return [(dest, False)]
    out = [(dest, True)]
    out.extend((posixpath.join(dest, path.rpartition("/")[2]), True) for _, path in found)
    return out


def _read_word(node: Instruction, raw: str) -> str | None:
    """A WORKDIR's or destination's word as BuildKit reads it (quotes removed:
    `WORKDIR "/app/docker"` is /app/docker); None where it names a variable
    or cannot be read."""
    if "$" in raw:
        return None
    if node.reading.json:
        return raw
    try:
        return process_word(raw, lambda name: None, node.escape)
    except WordError:
        return None


def resolve(cwd: str | None, path: str | None) -> str | None:
    """`path` (a WORKDIR or a destination) from `cwd`, normalised; None when
    it is None, names a variable or `cwd` is not known."""
    if path is None or "$" in path or "\\" in path:
        return None
    if not path.startswith("/"):
        if cwd is None:
            return None
        path = posixpath.join(cwd, path)
    return posixpath.normpath(path)


def _moved(script: str, command: Command, cwd: str | None) -> str | None:
    """Where the commands after `command` (a `cd`, `pushd` or `popd` of
    `script`) run: the folder of a `cd DIR` outside every subshell, group,
    `if` and loop, as a WORKDIR would set it (so that the same file reads the
    same before and after cd-workdir's rewrite); else not known."""
    if command.name != "cd" or len(command.words) != 2 or not top_level(script, command.start):
        return None
    folder = command.words[1].value
    if folder in ("-", "") or folder.startswith("~"):
        return None
    return resolve(cwd, folder)


def _commands(node: Instruction) -> tuple[str, list[Command]] | None:
    """The script and commands of a RUN, or the first of a CMD/ENTRYPOINT;
    None when they cannot be read."""
    reading = node.reading
    if not reading.args or node.heredocs:
        return None
    if reading.json:
        words = list(reading.args)
        if words[0].rpartition("/")[2] in _SHELLS and "-c" in words[1:-1]:
            script = words[words.index("-c") + 1]
        else:
            quoted = " ".join("'" + w.replace("'", "") + "'" for w in words)
            script = quoted
    else:
        script = reading.args[0]
    found = commands(script)
    if found is None:
        return None
    return script, list(found) if reading.keyword == "run" else list(found[:1])


def _hint(
    command: Command,
    cwd: str | None,
    copies: list[str],
    landed: list[tuple[str, bool]],
    said: list[str],
) -> Hint | None:
    """The file `command`, run in `cwd`, uses from a copy of the whole context
    (to `copies`; `landed`: where other copies put files; `said`: what the
    stage's commands said before it)."""
    if cwd is None or not command.words:
        return None
    name, args = command.name, command.args
    if name.rpartition("/")[2] in _MAKE:
        if any(a.startswith(_MAKE_ELSEWHERE) for a in args):
            return None
        if any(_WRITES_MAKEFILE.search(text) for text in said):
            return None
        return _under(copies, landed, [posixpath.join(cwd, m) for m in MAKEFILES])
    manifest = _manifest(name.rpartition("/")[2], args)
    script = manifest or _script(name, args)
    if script is None or "$" in script or has_wildcard(script) or script.startswith("~"):
        return None
    base = script.rpartition("/")[2]
    for text in said:
        if base in text and text.split(" ", 1)[0] not in _READERS:
            return None  # a command before may have made or moved it
    return _under(copies, landed, [posixpath.normpath(posixpath.join(cwd, script))])


# cmake options whose value is the next word (the rest are single words).
_CMAKE_VALUED = frozenset(
    {"-B", "-S", "-G", "-T", "-A", "-C", "-D", "-U", "--preset", "--toolchain", "--install-prefix"}
)
_CMAKE_NOT_CONFIGURE = ("--build", "--install", "--open", "-E", "-P", "--help", "--version")


def _cmake_source(args: list[str]) -> str | None:
    """The source folder of a `cmake` configure: `-S DIR`, else its folder
    argument, else the folder it runs in when `-B` names the build folder."""
    if not args or args[0].startswith(_CMAKE_NOT_CONFIGURE):
        return None
    positional: list[str] = []
    build = False
    words = iter(args)
    for word in words:
        if word in _CMAKE_VALUED:
            value = next(words, None)
            if word == "-S":
                return value
            build = build or word == "-B"
        elif word.startswith("-S") and len(word) > 2:
            return word[2:]
        elif word.startswith("-B"):
            build = True
        elif not word.startswith("-"):
            positional.append(word)
    if positional:
        return positional[-1]
    return "." if build else None


def _manifest(program: str, args: list[str]) -> str | None:
    """The manifest a build tool reads in the folder it runs in (see the
    module's doc), as a path relative to that folder."""
    first = args[0] if args else ""
    if program == "cmake":
        source = _cmake_source(args)
        return None if source is None else posixpath.join(source, "CMakeLists.txt")
    if program in _NODE and (first in _NODE[program] or (program == "yarn" and not args)):
        named = [a for a in args[1:] if not a.startswith("-")]
        if named or any(a.startswith(_NODE_ELSEWHERE) for a in args):
            return None
        return "package.json"
    if program == "cargo" and first in _CARGO:
        if any(a.startswith("--manifest-path") for a in args):
            return None
        if first == "install" and any(not a.startswith("-") for a in args[1:]):
            return None  # a crate from crates.io
        return "Cargo.toml"
    if program == "mvn" and not any(a in ("-f", "--file") or a.startswith("--file=") for a in args):
        return "pom.xml"
    return None


_NODE = {
    "npm": frozenset({"ci", "install", "i"}),
    "yarn": frozenset({"install"}),
    "pnpm": frozenset({"install", "i"}),
}
_NODE_ELSEWHERE = ("--prefix", "-C", "--cwd", "--dir", "-g", "--global")
_CARGO = frozenset({"build", "install", "test", "fetch"})


def _script(name: str, args: list[str]) -> str | None:
    """The script a command runs, if it runs one: `./x.sh`, `/src/x.sh`,
    `sh x.sh`, `python manage.py`."""
    if "/" in name and _SCRIPT.search(name):
        return name
    program = name.rpartition("/")[2]
    if program in _SHELLS:
        flags: frozenset[str] | re.Pattern[str] = _SHELL_FLAGS
    elif _PYTHON.match(program):
        flags = _PYTHON_FLAGS
    else:
        return None
    for arg in args:
        if isinstance(flags, frozenset) and arg in flags:
            continue
        if isinstance(flags, re.Pattern) and flags.match(arg):
            continue
        return arg if _SCRIPT.search(arg) and not arg.startswith("-") else None
    return None


def _under(copies: list[str], landed: list[tuple[str, bool]], paths: list[str]) -> Hint | None:
    """`paths` (alternatives, absolute in the image) as context paths, when
    they lie under the last copy of the whole context that holds them and no
    other COPY/ADD of the stage may have put them there."""
    for path in paths:
        if any(path == over if exact else within(path, over) for over, exact in landed):
            return None
    for dest in reversed(copies):
        found = [path[len(dest.rstrip("/")) + 1 :] for path in paths if within(path, dest)]
        if found and all(found):
            return tuple(found)
    return None


def within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or lies under it (both absolute, normalised)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# --- Locating ---


def locate(
    folder: Path | None,
    sources: Sequence[str],
    *,
    hints: Sequence[Sequence[str]] = (),
    whole: bool = False,
    ceiling: Path | None = None,
) -> Located:
    """The build context of a Dockerfile in `folder` whose evidence is
    `sources`, `hints` and `whole` (see `Evidence` and the module's doc).
    `ceiling`: the highest folder to look at (tests use it to stay inside
    their case; the repository root and `MAX_LEVELS` bound the search
    anyway)."""
    sources = tuple(sources)
    read = tuple(tuple(h) for h in hints)

    def found(root: Path | None, reason: str = "") -> Located:
        return Located(root, folder=folder, sources=sources, reason=reason, hints=read, whole=whole)

    if folder is None:
        return found(None, "the Dockerfile has no folder on disk")
    missing = [s for s in sources if not _present(folder, s)]
    lacking = [h for h in read if not _holds(folder, h)]
    bare = whole and _bare(folder)
    if not missing and not lacking and not bare:
        return found(folder)
    candidates, bound = _above(folder, ceiling)
    start = Path(os.path.abspath(folder))
    holding = [c for c in candidates if all(_present(c, s) for s in sources)]
    if missing:
        if len(holding) > 1 and read:
            fitting = [c for c in holding if all(_holds(c, h) for h in read)]
            holding = fitting if len(fitting) == 1 else holding
        return found(*_chosen(start, holding, missing, bound, "every COPY/ADD source"))
    # Every source is here; a hint is not, or the folder holds Dockerfiles only.
    # A hint no folder holds is something the build makes: it shows nothing.
    dropped = [h for h in lacking if not any(_holds(c, h) for c in candidates)]
    lacking = [h for h in lacking if h not in dropped]
    kept = [h for h in read if h not in dropped]
    if not lacking and not bare:
        return found(folder)
    if not lacking:
        return found(
            None,
            "the Dockerfile's folder holds only Dockerfiles, yet the file copies the "
            "whole build context (`COPY .`), and nothing it uses names a folder above",
        )
    fitting = [c for c in holding if all(_holds(c, h) for h in kept) and not (whole and _bare(c))]
    named = [
        next(p for p in h if len(fitting) != 1 or _present(fitting[0], p)) for h in lacking
    ]  # what the one folder holds (a Makefile may be a GNUmakefile)
    return found(*_chosen(start, fitting, named, bound, "what it uses"))


def _chosen(
    start: Path, holding: list[Path], missing: Sequence[str], bound: str, what: str
) -> tuple[Path | None, str]:
    named = _names(missing)
    if len(holding) == 1:
        up = _relative(start, holding[0])
        return holding[0], f"{up}, which holds {named}, is the build context"
    not_here = f"{named} {'is' if len(missing) == 1 else 'are'} not in the Dockerfile's folder"
    if not holding:
        return None, f"{not_here}, and no folder above it ({bound}) holds {what}"
    where = ", ".join(_relative(start, c) for c in holding)
    return None, f"{not_here}, and several folders above it hold {what} ({where})"


def _present(root: Path, source: str) -> bool:
    return os.path.lexists(root / source)


def _holds(root: Path, hint: Hint) -> bool:
    return any(_present(root, path) for path in hint)


def _bare(folder: Path) -> bool:
    """Whether `folder` holds nothing but Dockerfiles and ignore files."""
    try:
        with os.scandir(folder) as entries:
            return all(
                not entry.is_dir()
                and (is_dockerfile_name(entry.name) or entry.name.endswith(".dockerignore"))
                for entry in entries
            )
    except OSError:
        return False


def _above(folder: Path, ceiling: Path | None) -> tuple[list[Path], str]:
    """The folders above `folder` that may be the context, nearest first, and
    what bounded them (for messages)."""
    current = Path(os.path.abspath(folder))
    top = Path(os.path.abspath(ceiling)) if ceiling is not None else None
    if (current / ".git").exists():
        return [], "it is the repository's root"
    if current == top:
        return [], "none may be"
    found: list[Path] = []
    for _ in range(MAX_LEVELS):
        parent = current.parent
        if parent == current:
            return found, "up to the file system's root"
        found.append(parent)
        if (parent / ".git").exists():
            return found, "up to the repository's root"
        if parent == top:
            return found, f"up to {_relative(Path(os.path.abspath(folder)), parent)}"
        current = parent
    return found, f"{MAX_LEVELS} folders up"


def _relative(start: Path, folder: Path) -> str:
    """`folder` (above `start`) as `../`, `../../`, …"""
    return "../" * (len(start.parts) - len(folder.parts))


def _names(paths: Sequence[str]) -> str:
    shown = [f"`{p}`" for p in paths[:2]]
    if len(paths) > 2:
        return f"{shown[0]}, {shown[1]} and {len(paths) - 2} more"
    return " and ".join(shown)


def describe(located: Located) -> str:
    """Why the build context is unknown, for the fixes' messages."""
    return f"the build context is unknown ({located.reason}); pass --build-context"
