"""## What it does
Writes a shell-form `HEALTHCHECK CMD` in JSON (exec) form:
`HEALTHCHECK CMD node healthcheck.js` becomes
`HEALTHCHECK CMD ["node", "healthcheck.js"]`. A check that needs the shell
(`curl -f http://localhost/ || exit 1`, variables, backquotes) gets the
shell written out, with `--unsafe-fixes`:
`HEALTHCHECK CMD ["/bin/sh", "-c", "curl -f http://localhost/ || exit 1"]`.
The options (`--interval`, `--timeout`, …) stay as they are.

## Why is this bad?
hadolint's DL3025 asks for the JSON form of `HEALTHCHECK CMD` as of `CMD`
and `ENTRYPOINT`: the JSON form says which program runs, with which
arguments, without a shell reading the line first.

## Example
```dockerfile
HEALTHCHECK --interval=30s CMD node healthcheck.js
```

Use instead:
```dockerfile
HEALTHCHECK --interval=30s CMD ["node", "healthcheck.js"]
```

## Fix safety
BuildKit stores the shell form as the test `["CMD-SHELL", "<text>"]`, which
the Docker daemon runs as `/bin/sh -c "<text>"` (the image's shell when a
`SHELL` set one), and the JSON form as `["CMD", program, args…]`, which it
runs directly. So:
- the plain-words form is safe where the text is plain words (letters,
  digits and `_@%+=:,./-`, no shell reserved word or builtin first, as
  `json-args` decides): the shell would run that very program with those
  arguments;
  but not for a program that may be a script without a `#!` line (a
  path or a `.sh` name the build context does not show with one): the
  shell runs such a file itself, exec form fails with "exec format error";
- the written-out shell is unsafe: the same command runs in the same shell,
  but the image records `["CMD", "/bin/sh", "-c", …]` where it recorded
  `["CMD-SHELL", …]`.
Under a `SHELL` (the last one of the stage or of the stage it is built
FROM: the container's config holds it, and the daemon runs the check with
it) of `sh`, `bash`, `ash` or `dash` with options that leave a simple
command alone (`-e`, `-u`, `-x`, `-o pipefail`, as json-args decides),
plain words become the plain-words form (safe): that shell, too, would run
the program with those arguments; a check that needs the shell gets that
shell written out, with
its options (`["/bin/bash", "-o", "pipefail", "-c", "…"]`: the daemon runs
`CMD-SHELL` as the config's shell followed by the text), unsafe as above,
and not where a stage built FROM this one ends with another shell (it would
run the inherited check with its own). Other shells (a login
shell, PowerShell, a `SHELL` not in JSON) and Windows images, whose shell is
`cmd`, are left alone, and not where comment or blank lines inside the
instruction would be lost, nor bytes that are not UTF-8. `HEALTHCHECK NONE`
and `ONBUILD HEALTHCHECK` are left alone. The post-condition checks that the
build is the same but for the health check, in the config and the history,
whose test became one of the two forms above of the same text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockfix.editing import edit
from dockfix.fixes.json_args import (
    DEFAULT_SHELL,
    exec_words,
    may_lack_shebang,
    plain_posix,
    single_spaced,
)
from dockfix.images import is_windows
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import Value, keeps_rewritten, model
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF014",
    name="healthcheck-json",
    summary="HEALTHCHECK CMD in JSON (exec) form",
    safety=Safety.SAFE,
    hadolint="DL3025",
)
TRIGGERS = ("healthcheck",)  # one occurs in every file it reports on

_CMD = re.compile(r"cmd[ \t]+", re.IGNORECASE)


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is None:
            continue
        chain = ancestry(all_stages, stage)
        if is_windows(chain[-1].image) or tree.escape == "`":
            continue  # the backtick escape directive: most likely Windows
        shell = _final_shell(chain)
        if shell is not None and not (shell and plain_posix(shell)):
            continue  # PowerShell, cmd, a login shell, a SHELL not in JSON
        written: tuple[str, ...] | None = shell or DEFAULT_SHELL
        if shell is not None and _other_shell_below(all_stages, stage, shell):
            written = None  # a stage built FROM this one runs the check otherwise
        for node in stage.instructions:
            finding = _finding(tree, node, context, written)
            if finding is not None:
                yield finding


def _other_shell_below(all_stages: list[Stage], stage: Stage, shell: tuple[str, ...]) -> bool:
    """Whether a later stage built FROM `stage` (directly or not) ends with a
    shell other than `shell`: it inherits the health check and runs it with
    its own."""
    for other in all_stages[stage.index + 1 :]:
        chain = ancestry(all_stages, other)
        if stage in chain[1:] and _final_shell(chain) != shell:
            return True
    return False


def _final_shell(chain: list[Stage]) -> tuple[str, ...] | None:
    """The shell the image runs a shell-form health check with: the last
    `SHELL` of the stage or of the stages it is built FROM, wherever it stands
    (the container's config holds the last one); None for the default, ()
    for a `SHELL` that is not JSON."""
    for stage in chain:
        shells = [i for i in stage.instructions if i.keyword == "shell"]
        if shells:
            last = shells[-1].reading
            return tuple(last.args) if last.json else ()
    return None


def _finding(
    tree: Dockerfile,
    node: Instruction,
    context: Context,
    shell: tuple[str, ...] | None = DEFAULT_SHELL,
) -> Finding | None:
    """The finding for a shell-form `HEALTHCHECK CMD`: the plain-words form,
    or `shell` (the one the daemon would run the check with) written out; with
    None, only the plain-words form is offered."""
    reading = node.reading
    if reading.keyword != "healthcheck" or reading.json or len(reading.args) != 2:
        return None
    if reading.args[0].upper() != "CMD":
        return None
    text = reading.args[1]
    message = "shell-form HEALTHCHECK CMD: use JSON (exec) form"
    head = _CMD.match(reading.rest)
    if head is None or any("\udc80" <= ch <= "\udcff" for ch in text):
        return Finding(RULE, node, f"{message} (not done here: it cannot be read plainly)")
    if len(node.lines) != len(node.parts):
        return Finding(
            RULE,
            node,
            f"{message} (not done here: the comment or blank lines inside it would be lost)",
        )
    plain_words = exec_words(text)
    why = "it needs one"
    if plain_words and may_lack_shebang(tree, context, plain_words[0]):
        why = f"`{plain_words[0]}` may be a script without a `#!` line, which only a shell runs"
        plain_words = None
    plain = plain_words is not None
    if not plain and shell is None:
        return Finding(
            RULE,
            node,
            f"{message} (not done here: {why}, and a stage built FROM this one runs it"
            " with another SHELL)",
        )
    # A check written over continued lines becomes one string with single
    # spaces between its words (the indentation of its lines is not its own).
    script = single_spaced(text)
    words = plain_words if plain_words is not None else [*(shell or DEFAULT_SHELL), script]
    array = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
    # The array follows `CMD ` on its line (not a `CMD \` left alone above it).
    start = reading.rest_span.start + len(head.group(0).rstrip())
    fixed = edit(node, start, reading.rest_span.end, " " + array)
    return Finding(
        RULE,
        node,
        message if plain else f"{message}, with the shell written out ({why})",
        Fix(
            (Edit((node,), (fixed,)),),
            Safety.SAFE if plain else Safety.UNSAFE,
            "Use JSON form",
            postcondition=POSTCONDITION,
        ),
    )


def _rewritten(old: Value, new: Value) -> bool:
    """Whether the health check `new` is `old` or a JSON form of its text."""
    if old == new:
        return True
    if not (isinstance(old, tuple) and isinstance(new, tuple) and len(old) == len(new) == 3):
        return False
    (flags, json_form, test), (new_flags, new_json, new_test) = old, new
    if flags != new_flags or json_form or not new_json:
        return False
    if not isinstance(test, tuple) or len(test) != 2 or test[0] != "CMD":
        return False
    text = test[1]
    assert isinstance(text, str)
    words = exec_words(text)
    plain = ("CMD", *words) if words is not None else None
    if new_test == plain:
        return True
    # A shell written out: `_shells_match` checks it is the config's own.
    shell = new_test[1:-1] if isinstance(new_test, tuple) else ()
    return new_test[-1:] == (single_spaced(text),) and plain_posix(tuple(str(w) for w in shell))


def _shells_match(before: Dockerfile, after: Dockerfile) -> str | None:
    """Each health check whose shell was written out names the shell the
    daemon ran it with: its stage's final config shell, before the fix."""
    for i, (old, new) in enumerate(
        zip(model(before).stages, model(after).stages, strict=True), start=1
    ):
        a, b = old.config.get("healthcheck"), new.config.get("healthcheck")
        if a == b or not (isinstance(a, tuple) and isinstance(b, tuple)):
            continue
        test = b[2]
        words = exec_words(str(a[2][1])) if isinstance(a[2], tuple) else None
        if isinstance(test, tuple) and (words is None or test != ("CMD", *words)):
            shell = old.config.get("shell") or DEFAULT_SHELL
            if test[1:-1] != shell:
                return f"stage {i}: the health check's shell is not the one the image runs it with"
    return None


_kept = keeps_rewritten(("healthcheck",), _rewritten)


def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
    """The build is the same but for health checks, each of which (in the
    config and in every history entry) is the same test or a JSON form of it
    that runs the same shell."""
    return _kept(before, after) or _shells_match(before, after)


POSTCONDITION = postcondition
