"""Build stages: the instructions from one FROM to the next.

Fixes reason per stage: ENV values, the shell and the user carry over within
a stage but not across FROM (unless a stage is built FROM another stage).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from dockfix.tree import Dockerfile, Instruction


@dataclass(frozen=True)
class Stage:
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
