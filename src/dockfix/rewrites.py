"""Post-conditions for fixes that rewrite build steps, not just their spelling.

`keeps(...)` (dockfix.semantics) compares whole parts of the model. A fix that
turns an `ADD` into a `COPY`, a `cd` into a `WORKDIR` or two `RUN`s into one
changes the build steps on purpose; what it must not do is change anything
else. `rewrites(rule, ...)` states exactly that: it lines up the steps of each
stage before and after the fix, lets equal steps pass, and accepts a
difference only where one of the fix's `StepRule`s explains it. Everything
outside the steps is compared as `keeps(*allowed)` compares it.

A `StepRule` looks at the old steps from index `i` and the new ones from `j`
and returns how many of each it explains (`(1, 1)` for a step changed in
place, `(3, 1)` for three steps merged into one), or None. Rules are tried in
order at the first difference; there is no backtracking, so a rule must only
match the change it describes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from dockfix.semantics import BuildModel, Value, differences, model
from dockfix.shellstate import without_final_semicolon
from dockfix.tree import Dockerfile

Step = tuple[Value, ...]
StepRule = Callable[[Sequence[Step], int, Sequence[Step], int], "tuple[int, int] | None"]
Postcondition = Callable[[Dockerfile, Dockerfile], "str | None"]

# Fields of a `run` step (see dockfix.semantics._dispatch).
RUN_COMMAND, RUN_ENV, RUN_CWD, RUN_USER, RUN_FLAGS, RUN_HEREDOCS = 1, 2, 3, 4, 5, 6
# Fields of a `copy`/`add` step.
COPY_SOURCES, COPY_DEST = 1, 2


def align(old: Sequence[Step], new: Sequence[Step], rules: Sequence[StepRule]) -> str | None:
    """Why `new` is not `old` with changes the rules explain, or None."""
    i = j = 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and old[i] == new[j]:
            i += 1
            j += 1
            continue
        for rule in rules:
            taken = rule(old, i, new, j)
            if taken is not None and taken != (0, 0):
                i += taken[0]
                j += taken[1]
                break
        else:
            was = old[i][0] if i < len(old) else "nothing"
            now = new[j][0] if j < len(new) else "nothing"
            return f"a {was} step became {now} in a way the fix does not make"
    return None


def compare(
    before: BuildModel,
    after: BuildModel,
    rules: Sequence[StepRule],
    allowed: Iterable[str] = (),
) -> str | None:
    """Why `after` is not `before` changed only by `rules` (steps) and `allowed`."""
    allowed = tuple(allowed)
    reason = differences(before, after, (*allowed, "steps"))
    if reason is not None:
        return reason
    for n, (old, new) in enumerate(zip(before.stages, after.stages, strict=True)):
        why = align(old.steps, new.steps, rules)
        if why is not None:
            return f"stage {n + 1}: {why}"
    return None


def rewrites(*rules: StepRule, allowed: Iterable[str] = ("history",)) -> Postcondition:
    """A post-condition: the build is the same except for step changes one of
    `rules` explains and the parts named in `allowed` (as in `keeps`)."""
    allowed = tuple(allowed)

    def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
        return compare(model(before), model(after), rules, allowed)

    names = ", ".join(getattr(r, "__name__", "rule") for r in rules)
    postcondition.__qualname__ = f"rewrites({names})"
    return postcondition


# --- rules shared by several fixes ------------------------------------------------


def _at(steps: Sequence[Step], i: int, kind: str | tuple[str, ...]) -> Step | None:
    if i >= len(steps):
        return None
    step = steps[i]
    kinds = (kind,) if isinstance(kind, str) else kind
    return step if step[0] in kinds else None


def add_becomes_copy(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """An `ADD` step read as a `COPY` of the same sources to the same place."""
    a, b = _at(old, i, "add"), _at(new, j, "copy")
    if a is None or b is None or a[1:] != b[1:]:
        return None
    return (1, 1)


def dest_gains_slash(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A `COPY`/`ADD` whose destination only gained a final `/`."""
    a, b = _at(old, i, ("copy", "add")), _at(new, j, ("copy", "add"))
    if a is None or b is None or a[0] != b[0]:
        return None
    dest_a, dest_b = a[COPY_DEST], b[COPY_DEST]
    if not isinstance(dest_a, str) or dest_b != dest_a + "/":
        return None
    if a[:COPY_DEST] + a[COPY_DEST + 1 :] != b[:COPY_DEST] + b[COPY_DEST + 1 :]:
        return None
    return (1, 1)


_AND = re.compile(r"[ \t]*&&[ \t]*")


def blanks_collapsed(text: str) -> str:
    """`text` with each run of spaces and tabs outside quotes made one space:
    what the shell reads the same (blanks only separate words there); an
    escaped blank and quoted text stay as they are."""
    out: list[str] = []
    quote = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\" and quote == '"' and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch == "\\" and i + 1 < n:
            out.append(text[i : i + 2])
            i += 1
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch in " \t":
            while i + 1 < n and text[i + 1] in " \t":
                i += 1
            out.append(" ")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def joined_by_and(parts: Sequence[str], text: str) -> bool:
    """Whether `text` is `parts` joined by `&&` (with blanks around it), where
    runs of blanks outside quotes may differ in length (a merged RUN indents
    its arguments' lines deeper than its `&&` lines), and a `;` that ends a
    part before an `&&` is left out."""
    # A `;` that ends a command before an `&&` goes (`a;` runs as `a`).
    joined = [without_final_semicolon(p) for p in parts[:-1]] + list(parts[-1:])
    pattern = " ?&& ?".join(re.escape(blanks_collapsed(p)) for p in joined)
    return re.fullmatch(pattern, blanks_collapsed(text)) is not None


def runs_merged(old: Sequence[Step], i: int, new: Sequence[Step], j: int) -> tuple[int, int] | None:
    """Consecutive shell-form `RUN` steps with the same shell, environment,
    working directory, user and flags, and no heredocs, merged into one `RUN`
    whose command is theirs joined by `&&`."""
    merged = _at(new, j, "run")
    if merged is None or merged[RUN_HEREDOCS]:
        return None
    command = merged[RUN_COMMAND]
    if not isinstance(command, tuple) or not command:
        return None
    shell, text = command[:-1], command[-1]
    if not isinstance(text, str):
        return None
    same = (merged[RUN_ENV], merged[RUN_CWD], merged[RUN_USER], merged[RUN_FLAGS])
    parts: list[str] = []
    k = i
    while k < len(old):
        step = _at(old, k, "run")
        if step is None or step[RUN_HEREDOCS]:
            break
        cmd = step[RUN_COMMAND]
        if not isinstance(cmd, tuple) or cmd[:-1] != shell or not isinstance(cmd[-1], str):
            break
        if (step[RUN_ENV], step[RUN_CWD], step[RUN_USER], step[RUN_FLAGS]) != same:
            break
        parts.append(cmd[-1])
        k += 1
    # The longest run of old steps whose join is the new command.
    while len(parts) >= 2:
        if joined_by_and(parts, text):
            return (len(parts), 1)
        parts.pop()
    return None


# --- rules for fixes that rewrite scripts, join RUNs or add steps ------------------

ScriptCheck = Callable[[str, str], "str | None"]
StepCheck = Callable[[Step], "str | None"]


def same_but_script(a: Step, b: Step) -> bool:
    """Two shell-form `RUN` steps alike in all but their script: the same
    shell, environment, working directory, user, flags and heredocs."""
    if a[0] != "run" or b[0] != "run":
        return False
    old, new = a[RUN_COMMAND], b[RUN_COMMAND]
    if not isinstance(old, tuple) or not isinstance(new, tuple) or not old:
        return False
    return a[RUN_ENV:] == b[RUN_ENV:] and len(old) == len(new) and old[:-1] == new[:-1]


def _script(step: Step) -> str:
    command = step[RUN_COMMAND]
    assert isinstance(command, tuple)
    return str(command[-1])


def script_rewritten(check: ScriptCheck) -> StepRule:
    """A `RUN` whose script changed, and nothing else about it, in a way
    `check(old, new)` accepts (None: accepted)."""

    def rule(old: Sequence[Step], i: int, new: Sequence[Step], j: int) -> tuple[int, int] | None:
        a, b = _at(old, i, "run"), _at(new, j, "run")
        if a is None or b is None or not same_but_script(a, b):
            return None
        return (1, 1) if check(_script(a), _script(b)) is None else None

    rule.__name__ = f"script_rewritten({getattr(check, '__name__', 'check')})"
    return rule


def run_joined_into_next(check: ScriptCheck) -> StepRule:
    """A `RUN` joined into the `RUN` right after it: both alike but for their
    scripts, without heredocs, the joined step too, and `check` accepts the
    joined script given the two old ones on two lines."""

    def rule(old: Sequence[Step], i: int, new: Sequence[Step], j: int) -> tuple[int, int] | None:
        a, b, joined = _at(old, i, "run"), _at(old, i + 1, "run"), _at(new, j, "run")
        if a is None or b is None or joined is None or a[RUN_HEREDOCS]:
            return None
        if not same_but_script(a, b) or not same_but_script(b, joined):
            return None
        accepted = check(_script(a) + "\n" + _script(b), _script(joined)) is None
        return (2, 1) if accepted else None

    rule.__name__ = f"run_joined_into_next({getattr(check, '__name__', 'check')})"
    return rule


def step_added(kind: str, check: StepCheck | None = None) -> StepRule:
    """A new step of `kind` (that `check` accepts, when given)."""

    def rule(old: Sequence[Step], i: int, new: Sequence[Step], j: int) -> tuple[int, int] | None:
        b = _at(new, j, kind)
        if b is None or (check is not None and check(b) is not None):
            return None
        return (0, 1)

    rule.__name__ = f"step_added({kind})"
    return rule


def run_moved_earlier(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """An old `RUN` gone from here because it runs earlier now: a new step
    before this point is the same `RUN` (shell, environment, working
    directory, user, flags; its script may differ)."""
    a = _at(old, i, "run")
    if a is None or not any(same_but_script(a, b) for b in new[:j]):
        return None
    return (1, 0)


def copy_gains_flag(name: str, value: str | None = None) -> StepRule:
    """A `COPY`/`ADD` that only gained the flag `--name` (with `value`, when given)."""

    def rule(old: Sequence[Step], i: int, new: Sequence[Step], j: int) -> tuple[int, int] | None:
        a, b = _at(old, i, ("copy", "add")), _at(new, j, ("copy", "add"))
        if a is None or b is None or a[0] != b[0]:
            return None
        flags_a, flags_b = a[4], b[4]
        if not isinstance(flags_a, tuple) or not isinstance(flags_b, tuple):
            return None
        gained = [f for f in flags_b if f not in flags_a]
        if len(flags_b) != len(flags_a) + 1 or len(gained) != 1:
            return None
        flag = gained[0]
        if (
            not isinstance(flag, tuple)
            or flag[0] != name
            or (value is not None and flag[1] != value)
        ):
            return None
        if a[:4] + a[5:] != b[:4] + b[5:]:
            return None
        return (1, 1)

    rule.__name__ = f"copy_gains_flag({name})"
    return rule


def mkdir_user_changed(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A `WORKDIR`'s folder made by another user (the one a new `USER` switched to)."""
    a, b = _at(old, i, "mkdir"), _at(new, j, "mkdir")
    if a is None or b is None or a[1] != b[1]:
        return None
    return (1, 1)
