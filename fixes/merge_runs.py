"""## What it does
Merges consecutive `RUN` instructions of a stage into one, their commands
joined by `&&`, one `RUN` per line of the result, in the file's layout:

```dockerfile
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl
```

It merges where hadolint (DL3059) reports: runs of `RUN`s of one command
each (counted as hadolint counts them: a test in brackets and a loop's
header are not commands), with the same flags and nothing but comments (or
blank lines) between them. A `RUN` of several commands is taken to be one
on purpose.

## Why is this bad?
Each `RUN` is a layer and a step of the build. Short commands that belong
together (an update and the install that needs it, a download and its
unpacking) are clearer, and make a smaller image, in one `RUN`.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y curl
```

Use instead:
```dockerfile
RUN apt-get update \\
    && apt-get install -y curl
```

## Fix safety
Unsafe: the layers and the build cache change (a later change to one command
reruns the others). The commands do the same only when each `RUN` would
start where the one before left off, which the fix makes sure of before
merging:
- no earlier `RUN` leaves state for the shell to carry into the next: no
  `cd`, `pushd`/`popd`, `export`, `set`, `unset`, `source`/`.`, `umask`,
  `ulimit`, `alias`, `trap`, `read`, `readonly`/`declare`/`local`, `eval`,
  `exec`, `exit`, `return`, function definitions, lone `NAME=value`
  assignments, a `for` loop (its variable stays set), background jobs
  (`&`), or a trailing comment (which would swallow what follows);
- no earlier `RUN` replaces `/bin/sh` (`ln -sf /bin/bash /bin/sh`,
  `dpkg-reconfigure dash`): the `RUN`s after it are run by the new shell,
  merged ones by the old (dash would read `{logs,data}` literally);
- a later `RUN` has no `;`, `||` or `&` of its own, so `&&` ties all of it to
  the `RUN`s before (in `a && b || c`, a failure of `a` would run `c`); a
  `;` that only ends a `RUN`'s command (`RUN mkdir -p /x;`) does not count,
  and goes where an `&&` follows it (`a;` runs as `a`; `a; && b` would not
  parse);
- the `RUN`s are shell form without heredocs, with the same flags (mounts,
  network, security) and nothing but comments between them, so the same
  shell, environment, working directory and user;
- no suppression comment (`# hadolint ignore=…`, `# dockfix: …`,
  `# check=…`) sits above any of them: it would come to cover the others;
- no commented-out instruction (`# RUN curl …`, `# COPY …`) sits between
  them: inside the merged `RUN` it would read as a note on the script, and
  whoever uncomments it would put `RUN` into a shell command.
Comments between the `RUN`s stay, as comment lines inside the merged one
(which BuildKit skips); blank lines between them go. Each `RUN`'s own lines
are kept as written, but for the lines that carry a command's arguments: where
they would stand at or left of the `&&` lines, they (and the comment lines
right above them) move one level deeper, so that each command starts a line
and its arguments hang under it; only lines that start outside quotes move,
so the shell reads the same words. The post-condition checks that the merged step has the
same shell, environment, working directory, user and flags as the `RUN`s it
replaces, and that its command is their commands (as BuildKit reads them)
joined by `&&`, runs of blanks outside quotes read as one, less a `;` that
ended a command before an `&&`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockfix.build import instruction
from dockfix.editing import edit
from dockfix.packages import posix_shell
from dockfix.reading import commented_out
from dockfix.rewrites import rewrites, runs_merged
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.shell import commands, tokens
from dockfix.shellstate import carries_state, own_operator, without_final_semicolon
from dockfix.stages import Stage, stages
from dockfix.suppressions import is_pragma
from dockfix.tree import Blank, Comment, Dockerfile, Instruction, Line, Node

RULE = Rule(
    code="DF054",
    name="merge-runs",
    summary="Consecutive short RUNs of a stage: one RUN, commands joined by &&",
    safety=Safety.UNSAFE,
    hadolint="DL3059",
)
POSTCONDITION = rewrites(runs_merged)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        # `&&` and the shell-state rules below are a POSIX shell's (Windows
        # PowerShell 5.1 rejects `&&`; cmd.exe expands `%VAR%` once per line).
        if stage.from_ is None or not posix_shell(all_stages, stage):
            continue
        yield from _stage(tree, stage)


_QUOTED = re.compile(r"'[^']*'|\"(?:\\.|[^\"\\])*\"")


def count(run: Instruction) -> int:
    """How many commands a RUN runs (those of command substitutions included).
    hadolint counts each twice (ShellCheck's command and its redirection
    wrapper) and reports a RUN after a RUN when both count at most 2: when
    both are one command. A test in brackets (`[ -d /x ]`, `[[ … ]]`) is a
    condition to ShellCheck, not a command: `[ -d /x ] || mkdir /x` is one;
    so is a `for` loop's header."""
    if run.reading.json or run.heredocs:
        return 2  # never short
    text = run.reading.rest
    cmds = commands(text)
    if cmds is None:
        return 2
    tests = sum(1 for c in cmds if c.name in ("[", "[["))
    # `for i in a b; do …` reads as a command `i in a b` here, a loop to ShellCheck.
    unquoted = _QUOTED.sub('""', text)  # `echo "… for VMAF"` has no loop
    loops = len(re.findall(r"(?:^|[;&|(\s])(?:for|select)\s", unquoted))
    return len(cmds) - tests - loops + _substitutions(text)


def _substitutions(text: str) -> int:
    """How many command substitutions (`$(…)`, backquotes) the shell runs in
    `text`: not those inside single quotes, which are text
    (`echo 'PATH="$(ruby …)"' >> ~/.profile` runs one command), nor `$((…))`
    arithmetic."""
    found = 0
    quote = ""  # the single or double quote the text is in
    backquoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if quote == "'":
            if ch == "'":
                quote = ""
        elif ch == "\\":
            i += 1  # an escaped character
        elif ch == "'" and quote != '"':
            quote = "'"
        elif ch == '"':
            quote = "" if quote == '"' else '"'
        elif text.startswith("$(", i) and not text.startswith("$((", i):
            found += 1
        elif ch == "`":
            found += 0 if backquoted else 1
            backquoted = not backquoted
        i += 1
    return found


def _between(tree: Dockerfile, a: Instruction, b: Instruction) -> list[Node] | None:
    """The nodes between two instructions, if they are comments and blanks only."""
    i, j = tree.index(a), tree.index(b)
    nodes = list(tree.items[i + 1 : j])
    if all(isinstance(n, Comment | Blank) for n in nodes):
        return nodes
    return None


def _stage(tree: Dockerfile, stage: Stage) -> Iterator[Finding]:
    """hadolint's DL3059 over the stage, grouping the RUNs it reports."""
    runs = stage.instructions
    groups: list[list[Instruction]] = []
    anchor: Instruction | None = None  # hadolint's remembered RUN
    for node in runs:
        if node.keyword != "run":
            anchor = None
            continue
        previous = groups[-1][-1] if groups else None
        flagged = (
            anchor is not None
            and _flags(anchor) == _flags(node)
            and count(anchor) <= 1
            and count(node) <= 1
            and previous is not None
            and _between(tree, previous, node) is not None
        )
        if not flagged:
            anchor = node
            groups.append([node])
            continue
        groups[-1].append(node)
    for group in groups:
        if len(group) >= 2:
            yield from _group(tree, group)


def _flags(run: Instruction) -> tuple[str, ...]:
    return tuple(f.text for f in run.reading.flags)


def _why_not_first(run: Instruction) -> str | None:
    if run.reading.json:
        return "exec form"
    if run.heredocs:
        return "a heredoc"
    if tokens(run.reading.rest) is None:
        return "a command dockfix cannot read"
    return None


# A RUN that replaces /bin/sh (`ln -sf /bin/bash /bin/sh`, dash reconfigured):
# the RUNs after it are run by the new shell, a merged one by the old.
_REPLACES_SH = re.compile(
    r"\b(?:ln|mv|cp|rm|install|update-alternatives)\b.*(?<![\w./-])/(?:usr/)?bin/sh(?![\w./-])"
    r"|\bdpkg-reconfigure\b.*\bdash\b|dash/sh",
    re.DOTALL,
)


def _why_not_before(run: Instruction) -> str | None:
    """Why a RUN cannot be followed by another in one shell."""
    if _REPLACES_SH.search(run.reading.rest):
        return "it replaces /bin/sh, which runs the RUNs after it"
    return carries_state(without_final_semicolon(run.reading.rest))


def _why_not_after(run: Instruction) -> str | None:
    """Why a RUN cannot be tied to the ones before it with `&&`."""
    return own_operator(without_final_semicolon(run.reading.rest))


def _commented_out_between(tree: Dockerfile, a: Instruction, b: Instruction) -> bool:
    nodes = _between(tree, a, b) or []
    return any(isinstance(n, Comment) and commented_out(n.raw) for n in nodes)


def _pragma_above(tree: Dockerfile, run: Instruction) -> bool:
    index = tree.index(run) - 1
    while index >= 0 and isinstance(tree.items[index], Comment):
        if is_pragma(tree.items[index]):  # type: ignore[arg-type]
            return True
        index -= 1
    return False


def _group(tree: Dockerfile, group: list[Instruction]) -> Iterator[Finding]:
    """Findings for one run of RUNs hadolint reports: merge what can be merged."""
    message = "consecutive RUNs: merge them into one"
    parts: list[list[Instruction]] = [[]]
    reasons: dict[int, str] = {}
    for n, run in enumerate(group):
        current = parts[-1]
        if not current and n:
            reasons.setdefault(id(run), "the RUN before it cannot be merged")
        pragma = "a suppression comment above it" if _pragma_above(tree, run) else None
        why = _why_not_first(run) or pragma
        if current:
            why = why or _why_not_before(current[-1]) or _why_not_after(run)
            if why is None and _commented_out_between(tree, current[-1], run):
                why = "a commented-out instruction sits between them"
        if why is None:
            current.append(run)
            continue
        if current:
            reasons[id(run)] = why
        if _why_not_first(run) or pragma:
            parts.append([])
        else:
            parts.append([run])
    fixed: set[int] = set()
    for part in parts:
        if len(part) >= 2:
            merged = _merge(tree, part)
            if merged is not None:
                fixed.update(id(r) for r in part[1:])
                yield Finding(
                    RULE,
                    part[1],
                    f"{len(part)} {message}",
                    Fix(
                        (merged,),
                        Safety.UNSAFE,
                        f"Merge {len(part)} RUNs",
                        postcondition=POSTCONDITION,
                    ),
                )
    for run in group[1:]:
        if id(run) not in fixed:
            why = reasons.get(id(run))
            yield Finding(RULE, run, f"{message} ({why})" if why else message)


def _final_semicolon_dropped(run: Instruction) -> Instruction:
    """The RUN less the `;` that ends its command (`without_final_semicolon`)."""
    rest = run.reading.rest
    kept = without_final_semicolon(rest)
    if kept == rest:
        return run
    start = run.reading.rest_span.start
    return edit(run, start + len(kept), start + len(rest.rstrip()), "")


def _merge(tree: Dockerfile, part: list[Instruction]) -> Edit | None:
    """One edit replacing the RUNs (and what is between them) by one RUN."""
    style = tree.style
    first, last = part[0], part[-1]
    if any(r.lines[-1].continued for r in part):
        return None
    text = ""
    for n, run in enumerate(part):
        # `a;` then `&& b`: the `;` goes.
        own = _final_semicolon_dropped(run) if n < len(part) - 1 else run
        laid_out = _arguments_deeper(own, style.indent, tree.escape)
        if n == 0:
            text += "".join(p.raw for p in laid_out.parts)
            continue
        text = _continue(text, style.escape, style.and_first)
        for node in _between(tree, part[n - 1], run) or []:
            if isinstance(node, Comment):
                text += style.indent + node.raw.lstrip(" \t")
        text += _as_continuation(laid_out, style.indent, style.and_first)
    try:
        merged = instruction(text, tree.escape)
    except ValueError:
        return None
    i, j = tree.index(first), tree.index(last)
    return Edit(tree.items[i : j + 1], (merged,))


_OPERATOR_LED = ("&&", "||", "|", ";")
# Words after which a line starts a command (`if …; then \`).
_OPENING = frozenset({"then", "do", "else", "{", "("})


def _arguments_deeper(run: Instruction, indent: str, escape: str) -> Instruction:
    """`run` with the continuation lines that carry its command's arguments
    indented one level deeper than the merged RUN's `&&` lines, where they
    would stand at or left of them: an expert's layout, where each command
    starts a line and its arguments hang under it. Only lines that start
    outside quotes move (the shell then reads the same words)."""
    if escape != "\\" or len(run.lines) < 2:
        return run
    base = run.lines[0].content[: len(run.lines[0].content) - len(run.lines[0].content.lstrip())]
    limit = len(base) + len(indent)
    # Lines after the one where the command starts (`RUN \` may stand alone).
    rest = run.reading.rest_span.start
    start, _ = run.raw_span(rest, rest + 1)
    offset, opening = 0, 0
    for k, part in enumerate(run.parts):
        if offset <= start < offset + len(part.raw):
            opening = k
            break
        offset += len(part.raw)
    quote = ""
    deeper: set[int] = set()
    after_operator = False  # the line before ended with `&&` (this one starts a command)
    for k, part in enumerate(run.parts):
        if isinstance(part, Line):
            content = part.content
            stripped = content.lstrip(" \t")
            lead = len(content) - len(stripped)
            if (
                k > opening
                and not quote
                and stripped
                and not stripped.startswith(_OPERATOR_LED)
                and not after_operator
                and lead <= limit
            ):
                deeper.add(k)
            quote = _quote_after(part.body, quote)
            if stripped:
                body = part.body.rstrip()
                body = body[:-1].rstrip() if body.endswith(escape) else body
                words = body.split()
                after_operator = not quote and (
                    body.endswith(_OPERATOR_LED) or (words[-1] in _OPENING if words else False)
                )
    if not deeper:
        return run
    # Comment lines right above a line that moves go with it.
    for k in sorted(deeper, reverse=True):
        j = k - 1
        while j > opening and isinstance(run.parts[j], Comment):
            deeper.add(j)
            j -= 1
    parts = [
        base + indent + indent + part.raw.lstrip(" \t") if k in deeper else part.raw
        for k, part in enumerate(run.parts)
    ]
    try:
        return instruction("".join(parts), escape)
    except ValueError:
        return run


def _quote_after(text: str, quote: str) -> str:
    """The quote open at the end of `text` (a line of a shell script), given
    the one open at its start."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch == "\\":
            i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            break  # a comment to the end of the line
        i += 1
    return quote


def _continue(text: str, escape: str, and_first: bool) -> str:
    """`text` (ending in its last line's newline) continued on the next line:
    its last line ends with the escape, after ` &&` unless `&&` starts lines."""
    body = text.rstrip("\r\n")
    ending = text[len(body) :] or "\n"
    # Spaces that ended the RUN's last line go (not an escaped one: `a\ `).
    stripped = body.rstrip(" \t")
    if stripped != body and not stripped.endswith(escape):
        body = stripped
    return f"{body} {escape}{ending}" if and_first else f"{body} && {escape}{ending}"


def _as_continuation(run: Instruction, indent: str, and_first: bool) -> str:
    """A RUN's lines as continuation lines: the keyword and flags replaced by
    the indent (and `&& ` where `&&` starts lines), comment lines indented,
    its other lines as written."""
    rest = run.reading.rest_span.start
    start, _ = run.raw_span(rest, rest + 1)
    lead = indent + ("&& " if and_first else "")
    out = ""
    offset = 0
    for part in run.parts:
        end = offset + len(part.raw)
        if end <= start:  # the keyword's line(s), flags only; comments kept
            if isinstance(part, Comment):
                out += indent + part.raw.lstrip(" \t")
        elif offset <= start:
            out += lead + part.raw[start - offset :]
        else:
            out += part.raw
        offset = end
    return out
