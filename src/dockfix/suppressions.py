"""Suppression comments: a rule someone switched off is never fixed.

Dockerfiles have no end-of-line comments, so, as in hadolint, a pragma is a
full-line comment directly above the instruction it applies to:

    # dockfix: ignore=merge-env,DF002        the next instruction
    # dockfix: global ignore=python-env      the whole file
    # hadolint ignore=DL3009                 honoured for fixes related to DL3009
    # check=skip=JSONArgsRecommended         BuildKit's, above an instruction or
                                             as the file's `check` directive
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dockfix.tree import Comment, Dockerfile, Instruction

if TYPE_CHECKING:
    from dockfix.registry import FixModule
    from dockfix.rule import Finding

_PRAGMA = re.compile(r"dockfix:\s*(global\s+)?ignore\s*=\s*([\w\-, ]+)", re.IGNORECASE)
_HADOLINT = re.compile(r"hadolint\s+(global\s+)?ignore\s*=\s*([\w, ]+)", re.IGNORECASE)
_CHECK_SKIP = re.compile(r"check\s*=.*?\bskip\s*=\s*([\w,]+)", re.IGNORECASE)
# Every pragma above holds one of these words (matched with the same flags).
_ANY_PRAGMA = re.compile(r"ignore|skip", re.IGNORECASE)


def _ids(text: str) -> set[str]:
    return {t.strip().lower() for t in text.split(",") if t.strip()}


def _comment_block_above(tree: Dockerfile, index: int) -> list[Comment]:
    """The comment lines directly above items[index] (no blank line between)."""
    block: list[Comment] = []
    i = index - 1
    while i >= 0 and isinstance(tree.items[i], Comment):
        block.append(tree.items[i])  # type: ignore[arg-type]
        i -= 1
    return block


class Suppressions:
    """`# dockfix: ignore=…` (next instruction) and `# dockfix: global ignore=…`,
    and the same for hadolint's pragmas and BuildKit's `# check=skip=…`, so a
    rule someone switched off is never fixed.

    `all` means every dockfix fix in a dockfix pragma, and every fix related to
    a BuildKit check in `check=skip=all` (it says nothing about the others).
    """

    def __init__(self, tree: Dockerfile, configured: frozenset[str] = frozenset()) -> None:
        self.tree = tree
        self.file: list[tuple[str, set[str]]] = []  # (source, ids) for the whole file
        if configured:  # e.g. `ignored:` of .hadolint.yaml
            self.file.append(("config", {i.lower() for i in configured}))
        for item in tree.items:
            if isinstance(item, Comment):
                # A `# check=` comment below the directives is BuildKit's
                # per-instruction configuration (WithMergedConfigFromComments):
                # it applies to the instruction below it, not to the file.
                self.file += [s for s in _pragmas(item.text) if s[0] == "global"]
        for name, value in tree.directives.items():
            skip = _CHECK_SKIP.search("check=" + value) if name == "check" else None
            if skip:
                self.file.append(("check", _ids(skip.group(1))))
        self._index = {id(item): i for i, item in enumerate(tree.items)}

    def suppressed(self, fix: FixModule, node: Instruction) -> bool:
        if any(_covers(source, ids, fix) for source, ids in self.file):
            return True
        index = self._index.get(id(node))
        if index is None:
            return False
        return any(
            _covers(source, ids, fix)
            for comment in _comment_block_above(self.tree, index)
            for source, ids in _pragmas(comment.text)
            if source != "global"
        )


def _pragmas(text: str) -> list[tuple[str, set[str]]]:
    """The suppressions in one comment: ("global", ids) for whole-file ones,
    ("next", ids) and ("check", ids) for the instruction below."""
    found: list[tuple[str, set[str]]] = []
    if not _ANY_PRAGMA.search(text):
        return found
    for pattern in (_PRAGMA, _HADOLINT):
        for m in pattern.finditer(text):
            found.append(("global" if m.group(1) else "next", _ids(m.group(2))))
    skip = _CHECK_SKIP.search(text)
    if skip:
        found.append(("check", _ids(skip.group(1))))
    return found


def _covers(source: str, ids: set[str], fix: FixModule) -> bool:
    rule = fix.rule
    keys = {rule.code.lower(), rule.name.lower()}
    for related in (rule.hadolint, rule.buildkit):
        keys |= _ids(related or "")
    if "all" in ids:
        return rule.buildkit is not None if source == "check" else True
    return bool(ids & keys)


def is_pragma(comment: Comment) -> bool:
    """Whether a comment is a suppression that applies to the line below it."""
    text = comment.text.lower()
    return bool(_PRAGMA.search(text) or text.startswith("hadolint") or re.match(r"check\s*=", text))


def has_pragma_above(tree: Dockerfile, node: Instruction) -> bool:
    """Whether a suppression comment sits directly above `node`."""
    try:
        index = tree.index(node)
    except ValueError:
        return False
    return any(is_pragma(c) for c in _comment_block_above(tree, index))


def suppress_findings(tree: Dockerfile, findings: Iterable[Finding]) -> tuple[Dockerfile, int]:
    """`tree` with a `# dockfix: ignore=<names>` comment line directly above
    each instruction that has findings, naming their fixes (in code order).

    The comment takes the indentation of the instruction's first line and its
    line ending (the file's first line ending when the instruction ends the
    file without one). Other bytes are untouched. Returns the new tree and the
    number of comments added.
    """
    names: dict[int, dict[str, str]] = {}
    nodes: dict[int, Instruction] = {}
    for finding in findings:
        nodes[id(finding.node)] = finding.node
        names.setdefault(id(finding.node), {})[finding.rule.code] = finding.rule.name
    for key, node in nodes.items():
        first = node.lines[0]
        content = first.content
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        ending = first.ending or tree.newline
        listed = ",".join(name for _, name in sorted(names[key].items()))
        tree = tree.insert_before(node, Comment(f"{indent}# dockfix: ignore={listed}{ending}"))
    return tree, len(nodes)
