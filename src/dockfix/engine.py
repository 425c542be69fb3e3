"""Run fixes to a fixed point, behind a safety net.

After each fix's edits are applied, the new text is parsed again and checked:
it must parse, it must hold exactly the instructions the tree says it holds,
and every instruction the fix did not claim must read (BuildKit's dump) as
before. At the end a second pass over the re-parsed output must find nothing
left to fix. If any check fails, the file's result is an `InternalError`
naming the fix, and nothing is written for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from dockfix.editing import with_code, with_newline
from dockfix.errors import ParseError
from dockfix.parser import parse_edited
from dockfix.registry import FixModule
from dockfix.rule import Context, Edit, Finding, Safety
from dockfix.suppressions import Suppressions
from dockfix.tree import Blank, Comment, Dockerfile, Instruction, Node

MAX_ROUNDS = 8


class InternalError(Exception):
    """A fix produced output that failed the safety net."""

    def __init__(self, fix: str, reason: str) -> None:
        super().__init__(f"fix {fix} {reason}; file left unchanged")
        self.fix = fix
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Applied:
    """A finding whose fix was applied."""

    finding: Finding
    line: int


@dataclass
class Result:
    """What the engine made of a tree: the fixed tree, the fixes applied, the
    findings left (with their lines) and new files."""

    tree: Dockerfile  # the fixed tree (the input tree when nothing applied)
    applied: list[Applied] = field(default_factory=list)
    remaining: list[tuple[Finding, int]] = field(default_factory=list)  # with lines
    files: dict[str, str] = field(default_factory=dict)  # new files, by context path

    @property
    def code(self) -> str:
        return self.tree.code


# --- applying edits -------------------------------------------------------------


def apply_edits(tree: Dockerfile, edits: Iterable[Edit]) -> tuple[Dockerfile, set[int]]:
    """Apply edits in order, skipping any whose nodes an earlier edit replaced
    (the next round finds those again).

    Returns the new tree and the ids of the edits skipped.
    """
    edits = list(edits)
    linked = _apply_linked(list(tree.items), edits)
    items, skipped = linked if linked is not None else _apply_plainly(list(tree.items), edits)
    # A node an edit rewrote in place stands for the one it replaced.
    origin = {
        id(edit.new[0]): id(edit.old[0])
        for edit in edits
        if id(edit) not in skipped and len(edit.old) == len(edit.new) == 1
    }
    items = _space_after_heredocs(_keep_line_ends(items, tree), tree, origin)
    return Dockerfile(tuple(items), tree.bom, tree.escape), skipped


class _Cell:
    __slots__ = ("next", "node", "prev")

    def __init__(self, node: Node | None) -> None:
        self.node = node
        self.prev: _Cell | None = None
        self.next: _Cell | None = None


def _apply_linked(items: list[Node], edits: list[Edit]) -> tuple[list[Node], set[int]] | None:
    """`_apply_plainly` in time linear in the items and edits: the items in a
    linked list, found by identity. None (decide the plain way) when a node
    is in the list twice, where positions would be ambiguous."""
    head = _Cell(None)
    where: dict[int, _Cell] = {}
    last = head
    for item in items:
        cell = _Cell(item)
        cell.prev, last.next = last, cell
        where[id(item)] = last = cell
    if len(where) != len(items):
        return None

    def insert(after: _Cell, nodes: tuple[Node, ...]) -> bool:
        following = after.next
        for node in nodes:
            if id(node) in where:
                return False
            cell = _Cell(node)
            cell.prev, after.next = after, cell
            where[id(node)] = after = cell
        after.next = following
        if following is not None:
            following.prev = after
        return True

    skipped: set[int] = set()
    for edit in edits:
        if edit.old:
            found = [where.get(id(n)) for n in edit.old]
            cells = [c for c in found if c is not None]
            if len(cells) != len(found):
                skipped.add(id(edit))
                continue
            if any(b is not a.next for a, b in pairwise(cells)):
                raise ValueError("an edit's old nodes must be contiguous")
            first, end = cells[0], cells[-1]
            assert first.prev is not None
            before = first.prev
            before.next = end.next
            if end.next is not None:
                end.next.prev = before
            for node in edit.old:
                del where[id(node)]
            if not insert(before, edit.new):
                return None
        elif edit.after is None:
            if not insert(head, edit.new):
                return None
        else:
            at = where.get(id(edit.after))
            if at is None:
                skipped.add(id(edit))
                continue
            if not insert(at, edit.new):
                return None
    result = []
    current = head.next
    while current is not None:
        assert current.node is not None
        result.append(current.node)
        current = current.next
    return result, skipped


def _apply_plainly(items: list[Node], edits: list[Edit]) -> tuple[list[Node], set[int]]:
    """Apply `edits` to `items` one after another, each found by position."""
    skipped: set[int] = set()
    for edit in edits:
        positions = {id(item): i for i, item in enumerate(items)}
        if edit.old:
            idx = [positions.get(id(n)) for n in edit.old]
            if any(i is None for i in idx):
                skipped.add(id(edit))
                continue
            first = idx[0]
            assert first is not None
            if idx != list(range(first, first + len(idx))):
                raise ValueError("an edit's old nodes must be contiguous")
            items[first : first + len(idx)] = edit.new
        elif edit.after is None:
            items[0:0] = edit.new
        else:
            at = positions.get(id(edit.after))
            if at is None:
                skipped.add(id(edit))
                continue
            items[at + 1 : at + 1] = edit.new
    return items, skipped


def _space_after_heredocs(
    items: list[Node], original: Dockerfile, origin: dict[int, int] | None = None
) -> list[Node]:
    """hadolint cannot parse an instruction or a comment right after a heredoc's
    terminator line: where an edit puts one there, a blank line goes between.
    Where the file itself already had a line there, it stays as it was, also
    when a fix rewrote the instruction on either side (`origin`: the id of
    a node rewritten in place -> the id of the node it replaced)."""
    known = origin or {}

    def source(node: Node) -> int:
        return known.get(id(node), id(node))

    tight: dict[int, int] = {}  # heredoc instruction -> the line right after it
    for a, b in pairwise(original.items):
        if isinstance(a, Instruction) and a.heredocs and not isinstance(b, Blank):
            tight[id(a)] = id(b)
    followers = set(tight.values())
    present = {source(n) for n in items}
    out: list[Node] = []
    for node in items:
        prev = out[-1] if out else None
        if (
            isinstance(prev, Instruction)
            and prev.heredocs
            and isinstance(node, Instruction | Comment)
        ):
            if source(prev) in tight:
                # Still before its old neighbour (or what replaced it)?
                was = tight[source(prev)]
                space = was in present and source(node) != was
            else:
                space = source(node) not in followers
            if space:
                out.append(Blank(original.newline))
        out.append(node)
    return out


def _keep_line_ends(items: list[Node], original: Dockerfile) -> list[Node]:
    """Fixes build nodes that end in a newline and may put them anywhere; here
    every node but the last ends its line, and the file keeps ending (or not
    ending) in a newline as it did."""
    for i in range(len(items) - 1):
        if not items[i].code.endswith("\n"):
            items[i] = with_newline(items[i], original.newline)
    if items and original.code and not original.code.endswith("\n"):
        last = items[-1]
        if last is not original.items[-1] and last.code.endswith("\n"):
            stripped = last.code.rstrip("\r\n")
            if stripped.strip():
                items[-1] = (
                    with_code(last, stripped)
                    if isinstance(last, Instruction)
                    else type(last)(stripped)
                )
    return items


def _applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.fix.safety is Safety.SAFE or unsafe)


def _check(fix: FixModule, tree: Dockerfile, context: Context) -> list[Finding]:
    """A fix's findings; a fix that crashes is an internal error, not a crash.
    A fix is not run on a tree without any of its triggers (see dockfix.registry)."""
    if not fix.triggered(tree):
        return []
    try:
        return list(fix.check(tree, context))
    except Exception as e:
        raise InternalError(fix.name, f"failed: {type(e).__name__}: {e}") from e


class _Checks:
    """Each fix's findings on the current tree, computed once per tree.

    The engine asks for them in every round and again in the final pass; a
    fix whose tree did not change since it last looked is not run again.
    """

    def __init__(self, context: Context) -> None:
        self.context = context
        self._found: dict[str, tuple[Dockerfile, list[Finding]]] = {}
        self._suppressions: tuple[Dockerfile, Suppressions] | None = None

    def suppressions(self, tree: Dockerfile) -> Suppressions:
        if self._suppressions is None or self._suppressions[0] is not tree:
            self._suppressions = (tree, Suppressions(tree, self.context.hadolint_ignored()))
        return self._suppressions[1]

    def forget(self) -> None:
        self._found.clear()

    def __call__(self, fix: FixModule, tree: Dockerfile) -> list[Finding]:
        """`fix`'s findings on `tree`, less the suppressed ones."""
        cached = self._found.get(fix.code)
        if cached is not None and cached[0] is tree:
            return cached[1]
        suppressions = self.suppressions(tree)
        found = [
            f for f in _check(fix, tree, self.context) if not suppressions.suppressed(fix, f.node)
        ]
        self._found[fix.code] = (tree, found)
        return found


def findings(tree: Dockerfile, fixes: Sequence[FixModule], context: Context) -> list[Finding]:
    """Every finding of `fixes` on `tree`, less the suppressed ones."""
    checks = _Checks(context)
    return [finding for fix in fixes for finding in checks(fix, tree)]


def _verify(before: Dockerfile, after: Dockerfile, fix: FixModule) -> Dockerfile:
    """The safety net for one fix's edits; returns the re-parsed tree (whose
    untouched items are `before`'s, see `parse_edited`)."""
    try:
        reparsed = parse_edited(before, after)
    except ParseError as e:
        raise InternalError(fix.name, f"produced text that does not parse ({e})") from None
    expected = [i.code for i in after.instructions]
    if [i.code for i in reparsed.instructions] != expected:
        raise InternalError(fix.name, "produced text whose instructions do not parse as built")
    old = {id(i) for i in before.instructions}
    for built, read in zip(after.instructions, reparsed.instructions, strict=True):
        # Same code and escape character: the same reading, no need to dump it.
        if built.escape == read.escape:
            continue
        if id(built) in old and built.dump() != read.dump():
            raise InternalError(
                fix.name, f"changed an instruction it did not claim: {built.dump()}"
            )
    return reparsed


def _check_postconditions(
    before: Dockerfile, after: Dockerfile, fix: FixModule, applied: Sequence[Finding]
) -> None:
    """Each applied fix's statement of what BuildKit must read in its output."""
    seen: set[int] = set()
    for finding in applied:
        condition = finding.fix.postcondition if finding.fix is not None else None
        if condition is None or id(condition) in seen:
            continue
        seen.add(id(condition))
        try:
            reason = condition(before, after)
        except Exception as e:
            reason = f"could not be checked ({type(e).__name__}: {e})"
        if reason is not None:
            raise InternalError(fix.name, f"broke its post-condition: {reason}")


def apply_finding(tree: Dockerfile, fix: FixModule, finding: Finding) -> Dockerfile:
    """`tree` with one finding's edits applied, behind the same safety net as
    `run` (for an editor's quick fix). Raises InternalError."""
    edits = finding.fix.edits if finding.fix is not None else ()
    try:
        new_tree, _ = apply_edits(tree, edits)
    except (ValueError, ParseError) as e:
        raise InternalError(fix.name, f"made an invalid edit ({e})") from None
    if new_tree.code == tree.code:
        return tree
    reparsed = _verify(tree, new_tree, fix)
    _check_postconditions(tree, reparsed, fix, [finding])
    return reparsed


def run(
    tree: Dockerfile,
    fixes: Sequence[FixModule],
    context: Context,
    unsafe: bool = False,
) -> Result:
    """Apply the applicable fixes of `fixes` until none applies; verify each step."""
    result = Result(tree)
    checks = _Checks(context)
    for _ in range(MAX_ROUNDS):
        changed: list[str] = []  # the fixes that changed something this round
        for fix in fixes:
            todo = [f for f in checks(fix, tree) if _applicable(f, unsafe)]
            if not todo:
                continue
            lines = {id(loc.instruction): loc.start_line for loc in tree.located()}
            edits = [e for f in todo if f.fix is not None for e in f.fix.edits]
            new_files = {
                nf.path: nf.content
                for f in todo
                if f.fix is not None
                for nf in f.fix.files
                if not context.exists(nf.path)
            }
            try:
                new_tree, skipped = apply_edits(tree, edits)
            except (ValueError, ParseError) as e:
                raise InternalError(fix.name, f"made an invalid edit ({e})") from None
            if new_tree.code == tree.code and not new_files:
                continue
            if new_tree.code != tree.code:
                reparsed = _verify(tree, new_tree, fix)
                _check_postconditions(tree, reparsed, fix, todo)
                tree = reparsed
            # Later fixes, and the second pass, see the new files as present.
            context.created.update(new_files)
            if new_files:
                checks.forget()  # the fixes' view of the context changed
            result.files.update(new_files)
            result.applied.extend(
                Applied(f, lines.get(id(f.node), 0))
                for f in todo
                if f.fix is not None and not any(id(e) in skipped for e in f.fix.edits)
            )
            changed.append(fix.name)
        if not changed:
            break
    else:
        raise InternalError(", ".join(changed), f"did not settle after {MAX_ROUNDS} rounds")
    result.tree = tree
    # Second pass: the output must leave nothing to fix.
    lines = {id(loc.instruction): loc.start_line for loc in tree.located()}
    # (After a round without changes, every fix has looked at this very tree.)
    for finding in (f for fix in fixes for f in checks(fix, tree)):
        if _applicable(finding, unsafe):
            raise InternalError(finding.rule.name, "is not stable: a second run would change it")
        result.remaining.append((finding, lines.get(id(finding.node), 0)))
    return result
