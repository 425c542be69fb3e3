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
Safe. BuildKit runs the shell form as `/bin/sh -c "<command>"`; the command is
only rewritten when it is plain words (letters, digits and `_@%+=:,./-`)
separated by spaces or tabs, not starting with an assignment or a shell
reserved word or builtin (`cd`, `exec`, `export`, `time`, …), so `sh -c` would
run the same program with the same arguments. The one difference is the
intended one: the program is PID 1 and receives signals (SIGTERM on
`docker stop`) itself instead of the shell. The JSON is strict (double
quotes), so BuildKit cannot mistake it for shell form; the keyword keeps its
casing and the line its ending, and a continued command becomes one line.
Like BuildKit's check, the fix skips a stage whose shell a `SHELL` instruction
changed (in the stage or in the stage it is built FROM), and it leaves
`ONBUILD` triggers alone. A `%NAME%` (a cmd.exe variable on Windows) is left
alone, and so is a command with comment or blank lines inside its
continuation, which rewriting would drop; both are reported without a fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dockfix.build import instruction
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF008",
    name="json-args",
    summary="Use JSON (exec) form for CMD and ENTRYPOINT so the process gets signals",
    safety=Safety.SAFE,
    hadolint="DL3025",
    buildkit="JSONArgsRecommended",
)
# What BuildKit must read in the output: only these parts may change.
POSTCONDITION = keeps("history", "config.cmd", "config.entrypoint")

_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_SPLIT = re.compile(r"[ \t]+")
# Reserved words and builtins: as a command's first word the shell runs these
# itself (or reads them as syntax), and an image may have no program of that
# name, so exec form would fail or do something else.
_SHELL_WORDS = frozenset(
    {
        # reserved words (POSIX, and bash's when /bin/sh is bash)
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done",
        "case", "esac", "in", "!", "{", "}", "[[", "]]", "function", "select", "time",
        # special builtins
        ".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly",
        "return", "set", "shift", "times", "trap", "unset",
        # builtins with no program of the same name in most images
        "alias", "unalias", "bg", "fg", "jobs", "cd", "command", "getopts", "hash",
        "read", "type", "ulimit", "umask", "wait", "kill", "fc",
        "source", "local", "declare", "typeset", "let", "builtin", "shopt", "pushd",
        "popd", "dirs", "disown", "enable", "history", "logout", "mapfile",
        "readarray", "suspend", "caller", "test", "[",
    }
)  # fmt: skip
_FEATURES = (
    ("$", "a variable"),
    ("`", "command substitution"),
    (">", "a redirection"),
    ("<", "a redirection"),
    ("&&", "`&&`"),
    ("||", "`||`"),
    ("|", "a pipe"),
    (";", "`;`"),
    ("&", "`&`"),
    ("*", "a glob"),
    ("?", "a glob"),
    ("[", "a glob"),
    ("~", "`~`"),
    ("'", "quotes"),
    ('"', "quotes"),
    ("\\", "a backslash"),
    ("#", "a comment"),
    ("(", "a subshell"),
    (")", "a subshell"),
    ("{", "braces"),
    ("}", "braces"),
    ("\n", "a newline"),
)
# `%NAME%` is a variable to cmd.exe, the shell of Windows images.
_CMD_VARIABLE = re.compile(r"%[^%]+%")


def shell_need(command: str) -> str | None:
    """Why `command` needs a shell, or None if it is plain words."""
    words = _SPLIT.split(command.strip())
    for feature, why in _FEATURES:
        if feature in command:
            return why
    if _CMD_VARIABLE.search(command):
        return "a `%VARIABLE%` of cmd.exe"
    if words and words[0] in _SHELL_WORDS:
        return f"the shell word `{words[0]}`"
    if words and "=" in words[0] and not words[0].startswith("-"):
        return "a variable assignment"
    if not all(_WORD.fullmatch(w) for w in words):
        return "characters a shell interprets"
    return None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is None:
            continue
        # BuildKit does not ask for JSON form once SHELL has set another shell,
        # in this stage or in the stage it is built FROM (whose shell it inherits).
        if any(s.shell is not None for s in ancestry(all_stages, stage)):
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
        return Finding(
            RULE,
            node,
            f"{what}: use JSON (exec) form (not done here: the comment or blank lines "
            "inside it would be lost)",
        )
    if need is not None:
        return Finding(
            RULE,
            node,
            f'{what} needs a shell ({need}); write it as ["/bin/sh", "-c", ...] or keep it',
        )
    words = _SPLIT.split(command.strip())
    array = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
    first = node.lines[0].content
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    ending = node.lines[-1].ending  # "" on a last line without a newline
    fixed = instruction(f"{indent}{node.keyword_as_written} {array}{ending}", tree.escape)
    return Finding(
        RULE,
        node,
        f"{what}: use JSON (exec) form so the process receives signals",
        Fix((Edit((node,), (fixed,)),), Safety.SAFE, "Use JSON form", postcondition=POSTCONDITION),
    )
