"""## What it does
Rewrites a shell-form `CMD` or `ENTRYPOINT` that uses no shell feature in
JSON (exec) form: `CMD gunicorn app:app --bind 0.0.0.0:8000` becomes
`CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]`. One that needs the
shell (variables, `&&`, pipes, redirections, globs, quotes, …) is reported
and left alone.

## Why is this bad?
In shell form BuildKit runs `/bin/sh -c "<command>"`: the shell is PID 1, and
`docker stop` sends SIGTERM to the shell, not to the program, which is killed
ten seconds later without a chance to shut down cleanly. BuildKit's check
JSONArgsRecommended and hadolint's DL3025 ask for the JSON form.

## Example
```dockerfile
CMD gunicorn mysite.wsgi:application --bind 0.0.0.0:8000
```

Use instead:
```dockerfile
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]
```

## Fix safety
Safe: the command is only rewritten when it is plain words (letters, digits
and `_@%+=:,./-`) separated by spaces or tabs, which `sh -c` would pass to the
program unchanged, so the same program runs with the same arguments; the one
difference is the intended one, that the program receives signals itself.
The JSON is strict (double quotes), so BuildKit cannot mistake it for shell
form. Like BuildKit's check, the fix skips a stage that sets `SHELL`, and it
leaves `ONBUILD` triggers alone; a command with comment lines inside its
continuation is reported without a fix, since rewriting it would drop them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockfix.build import instruction
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.stages import stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF008",
    name="json-args",
    summary="Use JSON (exec) form for CMD and ENTRYPOINT so the process gets signals",
    safety=Safety.SAFE,
    hadolint="DL3025",
    buildkit="JSONArgsRecommended",
)

_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_SPLIT = re.compile(r"[ \t]+")
_SHELL_WORDS = frozenset(
    {
        "if",
        "for",
        "while",
        "until",
        "case",
        "exec",
        "cd",
        "export",
        "source",
        ".",
        "set",
        "eval",
        "trap",
        "ulimit",
        "umask",
        "exit",
        "test",
        "[",
        "{",
        "!",
    }
)
_FEATURES = (
    ("$", "a variable"),
    ("`", "command substitution"),
    ("&&", "`&&`"),
    ("||", "`||`"),
    ("|", "a pipe"),
    (";", "`;`"),
    ("&", "`&`"),
    (">", "a redirection"),
    ("<", "a redirection"),
    ("*", "a glob"),
    ("?", "a glob"),
    ("[", "a glob"),
    ("~", "`~`"),
    ("'", "quotes"),
    ('"', "quotes"),
    ("\\", "a backslash"),
    ("#", "a comment"),
    ("(", "a subshell"),
)


def shell_need(command: str) -> str | None:
    """Why `command` needs a shell, or None if it is plain words."""
    words = _SPLIT.split(command.strip())
    for feature, why in _FEATURES:
        if feature in command:
            return why
    if words and words[0] in _SHELL_WORDS:
        return f"the shell word `{words[0]}`"
    if words and "=" in words[0] and not words[0].startswith("-"):
        return "a variable assignment"
    if not all(_WORD.fullmatch(w) for w in words):
        return "characters a shell interprets"
    return None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    for stage in stages(tree):
        if stage.from_ is None or stage.shell is not None:
            continue
        for node in stage.instructions:
            reading = node.reading
            if reading.keyword not in ("cmd", "entrypoint") or reading.json or not reading.args:
                continue
            if reading.flags:
                continue  # `CMD --x …`: BuildKit reads --x as a flag and rejects it
            yield _finding(tree, node)


def _finding(tree: Dockerfile, node: Instruction) -> Finding:
    command = node.reading.args[0]
    what = f"shell-form {node.keyword.upper()}"
    need = shell_need(command)
    if need is None and len(node.lines) != len(node.parts):
        need = "comment lines inside it would be lost"  # not a shell need, but no fix
        return Finding(RULE, node, f"{what}: use JSON (exec) form ({need} if rewritten)")
    if need is not None:
        return Finding(
            RULE,
            node,
            f"{what} needs a shell ({need}); the shell, not the program, gets the signals",
        )
    words = _SPLIT.split(command.strip())
    array = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
    ending = node.lines[-1].ending
    fixed = instruction(f"{node.keyword_as_written} {array}{ending}", tree.escape)
    return Finding(
        RULE,
        node,
        f"{what}: use JSON (exec) form so the process receives signals",
        Fix((Edit((node,), (fixed,)),), Safety.SAFE, "Use JSON form"),
    )
