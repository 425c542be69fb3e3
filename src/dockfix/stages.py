"""Build stages: the instructions from one FROM to the next.

Fixes reason per stage: ENV values, the shell and the user carry over within
a stage but not across FROM (unless a stage is built FROM another stage).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from dockfix.shell import commands
from dockfix.tree import Dockerfile, Instruction


@dataclass(frozen=True)
class Stage:
    """One build stage: its FROM (None for the global ARGs) and its instructions."""

    index: int
    from_: Instruction | None  # None for the global ARGs before the first FROM
    instructions: tuple[Instruction, ...]  # after FROM, up to the next FROM

    @cached_property
    def image(self) -> str:
        """The base image as written (`python:3.12-slim`, `builder`, `scratch`)."""
        if self.from_ is None or not self.from_.reading.args:
            return ""
        return self.from_.reading.args[0]

    @cached_property
    def name(self) -> str | None:
        """The stage name after `AS`, in lower case as BuildKit compares it."""
        if self.from_ is None:
            return None
        args = self.from_.reading.args
        if len(args) >= 3 and args[1].lower() == "as":
            return args[2].lower()
        return None

    @property
    def shell(self) -> tuple[str, ...] | None:
        """The shell a SHELL instruction set in this stage, or None (the default).
        `SHELL []` sets nothing: BuildKit rejects it ("SHELL requires at least one
        argument"), so no fix reads it as a shell."""
        shell = None
        for i in self.instructions:
            if i.keyword == "shell" and i.reading.json and i.reading.args:
                shell = i.reading.args
        return shell

    def instructions_of(self, keyword: str) -> Iterator[Instruction]:
        return (i for i in self.instructions if i.keyword == keyword)


def stages(tree: Dockerfile) -> list[Stage]:
    """The stages of `tree`; a first pseudo-stage holds any instructions before FROM.

    Computed once per tree (trees are immutable); each call gets its own list.
    """
    cached = tree.__dict__.get("_stages")
    if cached is None:
        cached = tree.__dict__["_stages"] = tuple(_stages(tree))
    return list(cached)


def _stages(tree: Dockerfile) -> list[Stage]:
    result: list[Stage] = []
    current_from: Instruction | None = None
    current: list[Instruction] = []
    for instruction in tree.instructions:
        if instruction.keyword == "from":
            if current_from is not None or current:
                result.append(Stage(len(result), current_from, tuple(current)))
            current_from, current = instruction, []
        else:
            current.append(instruction)
    if current_from is not None or current:
        result.append(Stage(len(result), current_from, tuple(current)))
    return result


def ancestry(all_stages: list[Stage], stage: Stage) -> list[Stage]:
    """`stage`, the stage of the file it is built FROM, that one's, and so on.

    ENV, USER, CMD and the base image carry over along this chain. Only earlier
    stages count: a later name in FROM is an image, as BuildKit reads it.
    """
    chain = [stage]
    while True:
        current = chain[-1]
        image = current.image.lower()
        parent = next((s for s in reversed(all_stages[: current.index]) if s.name == image), None)
        if parent is None or parent in chain:
            return chain
        chain.append(parent)


def final_stage(tree: Dockerfile) -> Stage | None:
    built = [s for s in stages(tree) if s.from_ is not None]
    return built[-1] if built else None


def stage_of(tree: Dockerfile, node: Instruction) -> Stage | None:
    for stage in stages(tree):
        if node is stage.from_ or any(node is i for i in stage.instructions):
            return stage
    return None


def entry_instructions(chain: Sequence[Stage]) -> tuple[Instruction | None, Instruction | None]:
    """The ENTRYPOINT and CMD of the image `chain` builds (a stage and the
    stages of the file it is built FROM, as `ancestry` gives them), as
    BuildKit sets them: the last of each, but an ENTRYPOINT drops the CMD its
    stage has not set itself (a CMD of an earlier stage)."""
    entrypoint: Instruction | None = None
    cmd: Instruction | None = None
    for stage in reversed(chain):
        cmd_set = False
        for node in stage.instructions:
            if node.keyword == "cmd":
                cmd, cmd_set = node, True
            elif node.keyword == "entrypoint":
                entrypoint = node
                if not cmd_set:
                    cmd = None
    return entrypoint, cmd


def command_line(chain: Sequence[Stage]) -> list[str] | None:
    """The words the image `chain` builds runs when it starts (ENTRYPOINT then
    CMD), a shell's `-c` script read as its one command; None when there is no
    command or it is more than one command."""
    entrypoint, cmd = entry_instructions(chain)
    words: list[str] = []
    for node in (entrypoint, cmd):
        if node is None:
            continue
        if node.reading.json:
            words.extend(node.reading.args)
        else:
            found = _one_command(node.reading.rest)
            if found is None:
                return None
            words.extend(found)
        if node is entrypoint and not node.reading.json:
            break  # a shell-form ENTRYPOINT ignores CMD
    if not words:
        return None
    if _program(words[0]) in _SHELLS and "-c" in words[1:-1]:
        return _one_command(words[words.index("-c") + 1])
    return words


def _one_command(script: str) -> list[str] | None:
    found = commands(script)
    if found is None or len(found) != 1:
        return None
    words = found[0].args if found[0].name == "exec" else [found[0].name, *found[0].args]
    return words or None


def _program(word: str) -> str:
    """The program a word names: its base name (`/usr/bin/python3` is `python3`)."""
    return word.rstrip("/").rpartition("/")[2]


_SHELLS = frozenset({"sh", "bash", "zsh", "ash", "dash", "ksh", "mksh", "fish"})
_SHELL_OPTIONS = frozenset({"-l", "-i", "-il", "-li", "--login", "--norc", "--noprofile"})
# REPLs with no script, and the options that keep them interactive.
_REPLS: dict[str, frozenset[str]] = {
    "python": frozenset({"-i", "-q", "-u"}),
    "pypy": frozenset({"-i", "-q", "-u"}),
    "ipython": frozenset(),
    "node": frozenset({"-i", "--interactive"}),
    "irb": frozenset(),
    "jshell": frozenset(),
    "php": frozenset({"-a"}),
    "ghci": frozenset(),
    "R": frozenset({"--no-save", "--no-restore", "--vanilla", "--quiet", "-q"}),
    "julia": frozenset(),
    "iex": frozenset(),
    "erl": frozenset(),
}
_VERSIONED = re.compile(r"\A(python|pypy)\d+(?:\.\d+)*\Z")
# Build tools: with no goal (options only) they build the project they are given.
_BUILD_TOOLS = frozenset({"mvn", "gradle", "sbt", "lein"})
# Init programs that run the command after them (`tini -- CMD`).
_INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit"})


def _wrapper_words(entrypoint: Instruction | None, cmd: Instruction | None) -> int:
    """How many leading words of the command line are an ENTRYPOINT that
    only hands over to the CMD: an init (`["tini", "--"]`) or an entrypoint
    script by its name (`["/docker-entrypoint.sh"]`, `["/bin/bash",
    "/run.sh"]`: such scripts by convention end with `exec "$@"`); 0
    otherwise."""
    if entrypoint is None or cmd is None or not entrypoint.reading.json:
        return 0
    words = entrypoint.reading.args
    if not words:
        return 0
    name = _program(words[0])
    if name in _INITS and all(w.startswith("-") for w in words[1:]):
        return len(words)
    if len(words) == 1 and _wrapper_script(words[0]):
        return 1
    if len(words) == 2 and name in _SHELLS and _wrapper_script(words[1]):
        return 2  # `["/bin/bash", "/run.sh"]`
    return 0


def _wrapper_script(word: str) -> bool:
    """Whether `word` names an entrypoint script: one with `entrypoint` in
    its name, or a `*.sh` script."""
    name = _program(word).lower()
    return "entrypoint" in name or name.endswith(".sh")


def has_onbuild(chain: Sequence[Stage]) -> bool:
    """Whether a stage of `chain` sets ONBUILD triggers."""
    return any(True for stage in chain for _ in stage.instructions_of("onbuild"))


def is_base_image(chain: Sequence[Stage]) -> bool:
    """Whether the image `chain` builds (the final stage and the stages of the
    file it is built FROM, as `ancestry` gives them) is one to build FROM
    rather than an application: it has no CMD or ENTRYPOINT, or its command
    only starts an interactive shell (`bash`, `sh -l`), a REPL with no script
    (`python3`, `node`, `irb`, `jshell`, `php -a`, `ghci`, `R`, `julia`,
    `iex`, `erl`) or a build tool with no goal (`mvn`, `gradle`, `sbt`,
    `lein`), also behind an ENTRYPOINT that hands over to it (`tini --`, an
    `entrypoint.sh`), or it has ONBUILD triggers, which run in the builds of
    the images FROM it. The images built FROM a base image run their RUNs with its user
    and shell (`apt-get install` as root, `mvn package` into folders root
    made), so fixes that change those leave it be."""
    if has_onbuild(chain):
        return True
    entrypoint, cmd = entry_instructions(chain)
    if entrypoint is None and cmd is None:
        return True
    words = command_line(chain)
    if words is None:
        return False
    words = words[_wrapper_words(entrypoint, cmd) :] or words
    program, args = _program(words[0]), words[1:]
    if program in _SHELLS:
        return all(a in _SHELL_OPTIONS for a in args)
    if _VERSIONED.match(program):
        program = _VERSIONED.sub(r"\1", program)
    if program in _REPLS:
        return all(a in _REPLS[program] for a in args)
    if program in _BUILD_TOOLS:
        return all(a.startswith("-") for a in args)
    return False
