"""## What it does
Rewrites a shell-form `CMD` or `ENTRYPOINT` that uses no shell feature in
JSON (exec) form: `CMD gunicorn app:app --bind 0.0.0.0:8000` becomes
`CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]`. One that needs the
shell for variables, quotes or globs in a single command, or that ends a
chain of `&&`, `||` or `;`, keeps its shell but ends in `exec`, so the
program still replaces the shell as PID 1:
`CMD gunicorn app:app --bind 0.0.0.0:$PORT` becomes
`CMD ["/bin/sh", "-c", "exec gunicorn app:app --bind 0.0.0.0:$PORT"]`.
Anything else (pipes, redirections, background jobs, subshells, compound
commands, `trap`) can only keep its shell as PID 1: with `--unsafe-fixes` the
shell is written out, `CMD app | tee log` becoming
`CMD ["/bin/sh", "-c", "app | tee log"]`, which is what BuildKit stores for
it anyway.

Under a `SHELL` of the stage (or of the stage it is built FROM) that is a
Linux shell at an absolute path, the same is done with that shell:
`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` then `CMD a && b` becomes
`CMD ["/bin/bash", "-o", "pipefail", "-c", "a && exec b"]`. BuildKit's check
asks for nothing once `SHELL` is used, but hadolint's DL3025 still does.

A `CMD ["webserver"] # default argument` is shell form to BuildKit: it reads
JSON form only when the whole text is a JSON array of strings (since v0.13,
as Go's `json.Unmarshal` reads it), so the container would run a program
named `["webserver"]`; so are `CMD ['npm', 'start']` (single quotes) and
`CMD ["npm", "start",]` (a trailing comma). These are reported, not given
the shell; with `--unsafe-fixes` the array is written as JSON, as the author
meant, and a trailing comment moves to a comment line above (other trailing
text, a continued line or a comment naming a suppression is only
reported). The command cannot have worked before: the fix changes what
runs only where nothing could run.

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
separated by spaces or tabs, where a word may also hold single-quoted text,
or double-quoted text without `$`, backquotes or backslashes (the quotes go,
as the shell removes them: `sh -c 'a && b'` becomes `["sh", "-c", "a && b"]`),
not starting with an assignment or a shell
reserved word or builtin (`cd`, `exec`, `export`, `time`, …), nor `echo` with
a backslash or an option in its arguments (dash's builtin turns `\n` into a
newline, the `echo` program prints it as it is), so `sh -c` would
run the same program with the same arguments. The one difference is the
intended one: the program is PID 1 and receives signals (SIGTERM on
`docker stop`) itself instead of the shell. The JSON is strict (double
quotes), so BuildKit cannot mistake it for shell form; the keyword keeps its
casing and the line its ending. A continued command that keeps its shell
keeps its lines too: the JSON string goes on over the same continuations
(`CMD ["/bin/sh", "-c", "exec uvicorn main:app \\` then `    --port $PORT"]`),
which BuildKit joins before it reads the JSON, as it joined the shell form;
a command that becomes plain JSON words is written on one line.
The fix leaves `ONBUILD` triggers alone, and a command under a `SHELL` that
is not at an absolute path (`pwsh`, `cmd`: maybe a Windows image, where
shell form also sets ArgsEscaped, and JSON form would not), or after a
`SHELL` that is not JSON. Under a `SHELL` of `sh`, `bash`, `ash` or `dash`
whose options before `-c` are only `-e`, `-u`, `-x` or `-o pipefail` (or
errexit, nounset, xtrace), which change nothing for a simple command, plain
words become JSON words and a chain ends in `exec` under that shell, as
below; under any other Linux shell (`bash -l` reads the profiles first) the
command is only written out (see last). A `%NAME%` (a cmd.exe variable on Windows) is left
alone, and so is a command with comment or blank lines inside its
continuation, which rewriting would drop; both are reported without a fix.

Plain words become JSON words only where the program runs without a shell:
a script without a `#!` line (a file of that name the build context, or a
`COPY <<EOF`, shows without one; a `*.sh` found nowhere) is run by the shell
itself when execve refuses it (ENOEXEC), but exec form fails with "exec
format error". Such a command becomes `["/bin/sh", "-c", "exec ./start.sh"]`
(the shell's `exec` runs the script the same way).

Plain words become JSON words only where nothing else receives them. A CMD
under an ENTRYPOINT is that ENTRYPOINT's arguments: its first word would be
the program instead of `/bin/sh`, and entrypoint scripts branch on it (redis's
chowns its data and drops to its user when it sees `redis-server`). So a CMD
under an ENTRYPOINT of the file (except an init program given only options,
`["tini", "--"]`, `dumb-init`, which runs the words as a command), or on a base
image not known to have none (the official distribution images and python,
golang, ruby, rust, perl, openjdk; node's and php's entrypoints run a program
name as given), and an ENTRYPOINT whose stage sets a CMD (BuildKit passes
the stage's own CMD to it, and drops an inherited one), get the `exec` form
below instead: the other program still gets `/bin/sh -c` first, and the
shell still ignores extra arguments.

Shell form runs in the stage's shell, which, with no `SHELL` in the file, is
the base image's: `/bin/sh -c` only on an image known to set none (the
official distribution and language images, `dockfix.images`). On any other
base (`FROM $BASE`, `myorg/base`) the `exec` form and the written-out shell
assume `/bin/sh` and are unsafe fixes, and a command with bash syntax gets a
report only. Windows images (`servercore`, `nanoserver`, `ltsc…` tags,
`windows/…`, `dotnet/framework/…`) get a report, which names `cmd /S /C`,
the shell BuildKit gives their shell form.

The `exec` form is safe for the same reason: `/bin/sh -c "a && exec b"` runs
what `/bin/sh -c "a && b"` runs (the command text is BuildKit's, byte for
byte, after `exec `), and `exec` only makes the last program take the
shell's place, which is the intended change. It is used only when that last
command is a simple command of the top-level list (after `&&`, `||` or `;`,
not in a pipeline, subshell, group, loop or `if`), whose first word is a
literal program name (not a variable, an assignment, a reserved word or a
builtin, nor an `echo` that would print otherwise as a program), with no
redirection and no `&` anywhere, and when no earlier
command sets a `trap` (which `exec` would drop) and `$$` (the shell's PID,
which would become the program's) is not used. Like the plain form, it
assumes a Linux image whose shell is `/bin/sh`: a stage whose base looks
like Windows (`nanoserver`, `servercore`, `windows` in the image name, or
the backtick escape directive), where shell form runs `cmd /S /C`, only gets
a report.

A program named through a variable with a path after it
(`CMD $SCRIPTS_PATH/usage`, as the images built on source-to-image write it)
gets the `exec` form too, as an unsafe fix: the word holds a `/` whatever the
value, so the shell runs that file (never a builtin) with or without `exec`,
provided the value holds no blank or glob that would split or expand it into
other words, which the fix cannot see when the value comes from the base
image.

Writing the shell out (`--unsafe-fixes`) changes nothing at all: BuildKit
stores a shell-form command as the stage's shell followed by the command
text, and the JSON form written is exactly that array (the text as BuildKit
reads it, continuations joined, byte for byte); the image config and history
are the same. It is opt-in because it does not do what the rule is for: the
shell stays PID 1 and the program still gets no signals; the file only says
so. The post-condition checks that each CMD and ENTRYPOINT is the same array,
or the plain words or `exec` form of a command under a shell that leaves a
simple command alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockfix import images
from dockfix.build import instruction
from dockfix.images import is_windows, runs_command_as_given
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import Value, keeps_rewritten
from dockfix.shell import RESERVED, commands, tokens
from dockfix.stages import Stage, ancestry, stages
from dockfix.style import own_gap
from dockfix.tree import Comment, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF008",
    name="json-args",
    summary="Use JSON (exec) form for CMD and ENTRYPOINT so the process gets signals",
    safety=Safety.SAFE,
    hadolint="DL3025",
    buildkit="JSONArgsRecommended",
)
TRIGGERS = ("cmd", "entrypoint")  # one occurs in every file it reports on
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
    if words and "=" in words[0] and not words[0].startswith("-"):
        return "a variable assignment"
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


_PLAIN_CHAR = re.compile(r"[A-Za-z0-9_@%+=:,./-]")


def exec_words(command: str) -> list[str] | None:
    """The program and arguments `sh -c` runs for `command` when it needs the
    shell for nothing but splitting and quote removal: words of plain
    characters, single-quoted text and double-quoted text without `$`,
    backquotes or backslashes (`sh -c 'a && b'` is `sh`, `-c`, `a && b`);
    else None. Not a reserved word, builtin or assignment first."""
    if _CMD_VARIABLE.search(command):
        return None
    words: list[str] = []
    current: list[str] = []
    started = False
    i, n = 0, len(command)
    while i < n:
        ch = command[i]
        if ch in " \t":
            if started:
                words.append("".join(current))
                current, started = [], False
            i += 1
            continue
        if ch in "'\"":
            end = command.find(ch, i + 1)
            body = command[i + 1 : end]
            if end < 0 or (ch == '"' and any(c in body for c in "$`\\")):
                return None
            current.append(body)
            started, i = True, end + 1
            continue
        if not _PLAIN_CHAR.fullmatch(ch):
            return None
        current.append(ch)
        started, i = True, i + 1
    if started:
        words.append("".join(current))
    if not words or words[0] in _SHELL_WORDS:
        return None
    if "=" in command.strip().split(None, 1)[0] and not words[0].startswith("-"):
        return None  # an assignment (`A='x' app`), or a program name with `=`
    if echo_differs(words):
        return None
    return words


def echo_differs(words: list[str]) -> bool:
    """`echo` whose builtin prints otherwise than the `echo` program: dash's
    builtin turns `\n` and `\t` into a newline and a tab, /bin/echo prints
    them as they are; and the two take different options."""
    return (
        bool(words)
        and words[0] == "echo"
        and any("\\" in w or w.startswith("-") for w in words[1:])
    )


# Names that say "a shell script" whatever is inside.
_SCRIPT_SUFFIXES = (".sh", ".bash")


def may_lack_shebang(tree: Dockerfile, context: Context, program: str) -> bool:
    """Whether `program` may be a script without a `#!` line: a shell runs
    such a file as a shell script (execve fails with ENOEXEC, and POSIX
    shells then read it themselves), but exec form hands it to execve alone
    and the container fails with "exec format error".

    A file of that name that a COPY/ADD takes from the build context (the
    source itself, or in a folder it copies), or that a `COPY <<EOF` heredoc
    writes, answers: a `#!` line, or content that is not text (a binary), runs
    in exec form. One found nowhere is a script when its name ends in `.sh`
    (else a program of the image: an installed command or a built binary)."""
    name = program.rsplit("/", 1)[-1]
    sources = [
        source
        for node in tree.instructions
        if node.keyword in ("copy", "add")
        and not node.heredocs
        and not any(f.name == "from" for f in node.reading.flags)
        for source in node.reading.args[:-1]
        if "$" not in source and "://" not in source
    ]
    named_script = name.endswith(_SCRIPT_SUFFIXES)
    if not name:
        return False
    # A file the Dockerfile writes itself: `COPY <<EOF /usr/local/bin/start.sh`.
    written = [
        node.heredocs[0].content
        for node in tree.instructions
        if node.keyword == "copy"
        and len(node.heredocs) == 1
        and node.reading.args
        and node.reading.args[-1].rsplit("/", 1)[-1] == name
    ]
    if any(not body.startswith("#!") for body in written):
        return True
    if context.build_context is None:
        return named_script and not written
    from dockfix import contextfiles
    from dockfix.contextfiles import Kind

    relative = program.removeprefix("./") if not program.startswith("/") else None
    candidates = []
    for source in sources:
        folder = contextfiles.clean(source)
        if folder.rsplit("/", 1)[-1] == name:
            candidates.append(folder)
        elif contextfiles.kind(context, source) is Kind.DIR:
            for tail in dict.fromkeys(t for t in (name, relative) if t):
                candidates.append(f"{folder}/{tail}" if folder else tail)
    found = False
    for path in candidates:
        if contextfiles.kind(context, path) not in (Kind.FILE, Kind.ARCHIVE):
            continue
        found = True
        text = context.read(path)
        if text is not None and not text.startswith("#!"):
            return True  # text without `#!`: only a shell runs it
    return named_script and not found and not written


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is None:
            continue
        chain = ancestry(all_stages, stage)
        # The shell the stage starts with: the last SHELL of the nearest stage
        # it is built FROM that has one (None: the default).
        shell = next((s.shell for s in chain[1:] if s.shell is not None), None)
        known = all(not _invalid_shell(s) for s in chain[1:])
        # A backtick escape directive hints at Windows unless the image says otherwise.
        root = chain[-1]
        windows = _windows(root) or (tree.escape == "`" and "$" in root.image)
        default_known = images.shells(root.image) is not None
        # Who receives a CMD: an ENTRYPOINT of the file, or maybe the base image's.
        entrypoint = next(
            (i for s in chain for i in reversed(s.instructions) if i.keyword == "entrypoint"),
            None,
        )
        if entrypoint is not None:
            cmd_to = (
                None
                if _init_wrapper(entrypoint)
                else "an ENTRYPOINT of the file receives the CMD as its arguments"
            )
        elif not runs_command_as_given(root.image):
            cmd_to = "the base image may have an ENTRYPOINT that receives the CMD as its arguments"
        else:
            cmd_to = None
        # BuildKit keeps the stage's own CMD (and only it) under its ENTRYPOINT.
        entrypoint_gets = (
            "the stage's CMD becomes its arguments"
            if any(
                i.keyword == "cmd" and not (i.reading.json and not i.reading.args)
                for i in stage.instructions
            )
            else None
        )
        for node in stage.instructions:
            reading = node.reading
            if reading.keyword == "shell":
                shell, known = (reading.args, known) if reading.json else (None, False)
                continue
            if reading.keyword not in ("cmd", "entrypoint") or reading.json or not reading.args:
                continue
            if reading.flags or not known:
                continue  # `CMD --x …`: BuildKit reads --x as a flag and rejects it
            if meant_json(reading.rest) is not None:
                yield _meant_json_finding(tree, node)
                continue
            passes = cmd_to if reading.keyword == "cmd" else entrypoint_gets
            if shell is None:
                yield _finding(
                    tree,
                    node,
                    windows,
                    passes=passes,
                    default_known=default_known,
                    context=context,
                )
            elif shell and shell[0].startswith("/"):  # a Linux shell, known exactly
                yield _finding(tree, node, windows, shell, passes, context=context)
            # Under another SHELL (PowerShell, cmd.exe) a Windows image may
            # read JSON form's arguments otherwise (ArgsEscaped): left alone.


@dataclass(frozen=True)
class MeantJson:
    """A shell-form command that was meant as JSON form (see `meant_json`)."""

    words: list[str]  # the array's strings
    array: str  # the JSON to write: the array as written where it is valid JSON
    after: str  # the text after the array ("" if none)
    why: str  # what makes it shell form


# An array of single-quoted strings, or of double-quoted ones with a comma
# after the last (no escapes or quotes inside either).
_SINGLE_QUOTED = re.compile(r"\[\s*(?:'[^'\\]*'\s*(?:,\s*'[^'\\]*'\s*)*)?\]")
_TRAILING_COMMA = re.compile(r'\[\s*"[^"\\]*"\s*(?:,\s*"[^"\\]*"\s*)*,\s*\]')


def meant_json(text: str) -> MeantJson | None:
    """Where a CMD or ENTRYPOINT reads as JSON form to a person and as a
    shell command to BuildKit, which reads JSON form only when the whole text
    is a JSON array of strings (Go's `json.Unmarshal`; BuildKit before v0.13
    ignored text after the array): an array followed by more text
    (`["webserver"] # default`), one in single quotes (`['npm', 'start']`)
    or with a comma after its last string. The shell then runs a program
    named like the array (`["webserver"]`, `[npm,`): the command cannot
    have worked."""
    stripped = text.strip()
    if not stripped.startswith("["):
        return None
    try:
        value, end = json.JSONDecoder().raw_decode(stripped)
    except ValueError:
        value, end = None, 0
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        after = stripped[end:].strip()
        if not after:
            return None  # JSON form already (a leading or trailing blank is fine)
        return MeantJson(value, stripped[:end], after, f"the text after the array (`{after}`)")
    for pattern, quote, why in (
        (_SINGLE_QUOTED, "'", "single quotes, which JSON does not know"),
        (_TRAILING_COMMA, '"', "the comma after the last string"),
    ):
        found = pattern.match(stripped)
        if found is not None:
            words = re.findall(f"{quote}([^{quote}]*){quote}", found.group())
            array = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
            after = stripped[found.end() :].strip()
            return MeantJson(words, array, after, why)
    return None


def _meant_json_finding(tree: Dockerfile, node: Instruction) -> Finding:
    """A CMD or ENTRYPOINT meant as JSON form: the unsafe fix writes the
    array as JSON, and moves a trailing `# comment` to a comment line above;
    other trailing text, a continued line or a comment naming a suppression
    (it would start to apply) is only reported."""
    reading = node.reading
    meant = meant_json(reading.rest)
    assert meant is not None
    message = (
        f"{reading.keyword.upper()} looks like JSON form, but {meant.why} makes BuildKit "
        "read it as a shell command, which runs a program named like the array"
    )
    comment = meant.after[1:].strip() if meant.after.startswith("#") else None
    if (
        (meant.after and comment is None)
        or len(node.lines) != 1
        or (comment is not None and ("ignore" in comment or "dockfix:" in comment))
    ):
        return Finding(RULE, node, f"{message} (not fixed: only a trailing comment is moved)")
    first = node.lines[0].content
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    ending = node.lines[0].ending
    # Every byte up to the array kept.
    start = reading.rest_span.start + len(reading.rest) - len(reading.rest.lstrip())
    at = node.raw_span(start, start)[0]
    fixed = instruction(f"{node.code[:at]}{meant.array}{ending}", tree.escape)
    new: tuple[Node, ...] = (fixed,)
    if comment is not None:
        new = (Comment(f"{indent}# {comment}{ending or tree.newline}"), fixed)
    title = "Move the comment above, leaving the JSON form" if comment else "Write it as JSON"
    return Finding(
        RULE,
        node,
        message,
        Fix((Edit((node,), new),), Safety.UNSAFE, title, postcondition=POSTCONDITION),
    )


# Init programs that run their arguments as the command, unchanged (`tini --`).
_INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "docker-init"})


def _init_wrapper(entrypoint: Instruction) -> bool:
    """Whether an exec-form ENTRYPOINT is an init program given only options:
    it runs the CMD's words as a command, as `sh -c` did."""
    args = entrypoint.reading.args
    if not entrypoint.reading.json or not args:
        return False
    if args[0].rsplit("/", 1)[-1] not in _INITS:
        return False
    return all(a.startswith("-") for a in args[1:])


def _invalid_shell(stage: Stage) -> bool:
    return any(i.keyword == "shell" and not i.reading.json for i in stage.instructions)


# Options of a POSIX shell that leave a simple command as it is: no login
# shell (`-l` reads profiles), no `-i`.
_PLAIN_OPTIONS = re.compile(r"-[euxo]+|pipefail|errexit|nounset|xtrace")


def plain_posix(shell: tuple[str, ...]) -> bool:
    """Whether `shell` is a POSIX shell at an absolute path (a Linux image)
    given options that leave a simple command alone, ending in `-c`."""
    if len(shell) < 2 or shell[-1] != "-c" or not shell[0].startswith("/"):
        return False
    if shell[0].rsplit("/", 1)[-1] not in ("sh", "bash", "ash", "dash"):
        return False
    return all(_PLAIN_OPTIONS.fullmatch(a) for a in shell[1:-1])


DEFAULT_SHELL = ("/bin/sh", "-c")
_WINDOWS_SHELL = ("cmd", "/S", "/C")


def _windows(root: Stage) -> bool:
    """Whether the stage's root image looks like a Windows image."""
    return is_windows(root.image)


# A program named through a variable and a path after it (`$SCRIPTS/run`):
# the word has a `/` whatever the value, so the shell runs a file, never a
# builtin, as long as the value holds no blank that would split it.
_VARIABLE_PATH = re.compile(
    r"\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})/[A-Za-z0-9_@%+=:,./-]*"
)


def exec_form(command: str, variable_program: bool = False, spaced: bool = True) -> str | None:
    """`command` with `exec ` before its last command, where `sh -c` then runs
    the same commands and the last program replaces the shell; else None.
    `variable_program`: the program may also be a `$NAME/path` word; with
    `spaced`, runs of spaces outside quotes become one (`single_spaced`)."""
    found = tokens(command)
    cmds = commands(command)
    if found is None or not cmds:
        return None
    if any(t in ("|", "&", ";;", "(", ")", "\n") or t in RESERVED for t in found):
        return None
    last = cmds[-1]
    if last.after or last.before not in ("", "&&", "||", ";"):
        return None
    if any(c.name == "trap" for c in cmds):
        return None
    if "$$" in command or "${$}" in command:
        return None  # the shell's PID, which `exec` gives to the program
    if any("<" in w.text or ">" in w.text for c in cmds for w in c.words):
        return None
    head = command[: last.start].rstrip(" \t")
    if head != "" if not last.before else not head.endswith(last.before):
        return None  # an assignment or reserved word stands before the program
    words = [w.text for w in last.words]
    already = words[0] == "exec"  # the shell's place is taken already
    program = words[1] if already and len(words) > 1 else words[0]
    named = _WORD.fullmatch(program) or (variable_program and _VARIABLE_PATH.fullmatch(program))
    if not named or program in _SHELL_WORDS or "=" in program:
        return None
    if program.startswith("-"):
        return None
    if echo_differs(words[1:] if already else words):
        return None  # `exec echo` runs the program, not the builtin
    wrapped = command if already else command[: last.start] + "exec " + command[last.start :]
    return single_spaced(wrapped) if spaced else wrapped


def single_spaced(command: str) -> str:
    """`command` with each run of spaces and tabs outside quotes made one space
    (a continued line's indentation), which the shell reads the same; left
    as it is where substitutions could hide quotes from this scan."""
    if "$(" in command or "`" in command:
        return command
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(command):
        ch = command[i]
        if quote:
            if ch == "\\" and quote == '"' and i + 1 < len(command):
                out.append(command[i : i + 2])
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch == "\\" and i + 1 < len(command):
            out.append(command[i : i + 2])
            i += 2
            continue
        elif ch in "'\"":
            quote = ch
        elif ch in " \t":
            j = i
            while j < len(command) and command[j] in " \t":
                j += 1
            out.append(" ")
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _finding(
    tree: Dockerfile,
    node: Instruction,
    windows: bool = False,
    shell: tuple[str, ...] = DEFAULT_SHELL,
    passes: str | None = None,
    default_known: bool = True,
    context: Context | None = None,
) -> Finding:
    """The finding for a shell-form CMD or ENTRYPOINT; `passes`: why its words
    would reach another program as arguments (an ENTRYPOINT receiving the CMD,
    the CMD reaching the ENTRYPOINT), where the plain JSON words would change
    what that program is given, and only the `exec` form keeps it."""
    command = node.reading.args[0]
    what = f"shell-form {node.keyword.upper()}"
    if any("\udc80" <= ch <= "\udcff" for ch in command):
        # Bytes that are not UTF-8 (kept as surrogates): BuildKit's JSON reading
        # would turn them into U+FFFD, so the JSON form would run another command.
        return Finding(
            RULE,
            node,
            f"{what}: use JSON (exec) form (not done here: it holds bytes that are not UTF-8)",
        )
    comments = len(node.lines) != len(node.parts)
    # A shell whose options may change a simple command (`bash -l` reads the
    # profiles): only written out, never left out.
    words = exec_words(command) if plain_posix(shell) else None
    need = (
        None
        if words is not None
        else shell_need(command)
        if plain_posix(shell)
        else f"`{shell[0]}` with its options"
    )
    if need is None and comments:
        return Finding(
            RULE,
            node,
            f"{what}: use JSON (exec) form (not done here: the comment or blank lines "
            "inside it would be lost)",
        )
    script = (
        words is not None
        and context is not None
        and bool(words)
        and may_lack_shebang(tree, context, words[0])
    )
    # `sh -c "exec prog args"`: exec form would hand a script without `#!` to
    # execve, which cannot run it, where `exec` in the shell can (the shell
    # reads the script itself); and another program that gets the command
    # line (as it got `sh -c "prog args"`) gets it still, the shell ignoring
    # extra arguments.
    why: str | None = None
    safety = Safety.SAFE
    if need is None and plain_posix(shell) and not windows:
        if script and passes is None:
            why = (
                f"`{words[0] if words else ''}` may be a script without a `#!` line, "
                "which only a shell runs"
            )
            if shell == DEFAULT_SHELL and not default_known:
                safety = Safety.UNSAFE
        elif passes is not None:
            why = passes
    spaced = len(node.lines) == 1  # a continued command keeps its lines (`_json_lines`)
    wrapped = exec_form(command, spaced=spaced) if why is not None else None
    if wrapped is not None:
        return _rewrite(
            tree,
            node,
            [*shell, wrapped],
            f"{what}: use JSON (exec) form so the process receives signals (with "
            f"`{' '.join(shell)}` and `exec`: {why})",
            safety,
            "Use JSON form with exec",
        )
    if words is not None:
        return _rewrite(
            tree,
            node,
            words,
            f"{what}: use JSON (exec) form so the process receives signals",
            Safety.SAFE,
            "Use JSON form",
        )
    windowsish = windows or bool(_CMD_VARIABLE.search(command))
    if windowsish or comments:
        # BuildKit runs a Windows image's shell form with `cmd /S /C`.
        written = _WINDOWS_SHELL if windowsish and shell == DEFAULT_SHELL else shell
        return Finding(
            RULE,
            node,
            f"{what} needs a shell ({need}); write it as "
            f"{json.dumps(list(written))[:-1]}, ...] or keep it",
        )
    # With no SHELL in the file, the base image's own SHELL (in its config)
    # runs the shell form: `/bin/sh` only where the image is known.
    assumed = shell == DEFAULT_SHELL and not default_known
    if assumed:
        from dockfix.fixes.pipefail import bashism  # only for these images

        if bashism(command) is not None:
            return Finding(
                RULE,
                node,
                f"{what} needs a shell ({need}); not rewritten: the base image's SHELL is "
                "not known and the command may need bash",
            )
    note = " (the base image's SHELL is not known: /bin/sh assumed)" if assumed else ""
    wrapped = exec_form(command, spaced=spaced) if plain_posix(shell) else None
    safety = Safety.UNSAFE if assumed else Safety.SAFE
    if wrapped is None and plain_posix(shell):
        wrapped = exec_form(command, variable_program=True, spaced=spaced)
        safety = Safety.UNSAFE
    if wrapped is not None:
        return _rewrite(
            tree,
            node,
            [*shell, wrapped],
            f"{what} needs a shell ({need}): use JSON form with `{' '.join(shell)}` and `exec`, "
            f"so the program receives signals{note}",
            safety,
            "Use JSON form with exec",
        )
    # The same command, run by the same shell, written in JSON form.
    return _rewrite(
        tree,
        node,
        [*shell, command],
        f"{what} needs a shell ({need}) and cannot end in `exec`: "
        f"the shell stays PID 1; JSON form only says so{note}",
        Safety.UNSAFE,
        "Write the shell out in JSON form",
    )


def _rewrite(
    tree: Dockerfile,
    node: Instruction,
    words: list[str],
    message: str,
    safety: Safety,
    title: str,
) -> Finding:
    """The finding whose fix writes `node` as the JSON array of `words`."""
    fixed = _json_line(tree, node, words)
    return Finding(
        RULE,
        node,
        message,
        Fix((Edit((node,), (fixed,)),), safety, title, postcondition=POSTCONDITION),
    )


def _json_line(tree: Dockerfile, node: Instruction, words: list[str]) -> Instruction:
    """`node` written on one line in JSON form: same indentation, keyword
    casing and line ending; a shell script continued over lines keeps its
    lines (see `_json_lines`)."""
    kept = _json_lines(tree, node, words) if len(node.lines) > 1 else None
    if kept is not None:
        return kept
    if len(words) == 3 and words[1] == "-c" and len(node.lines) > 1:
        words = [*words[:2], single_spaced(words[2])]
    array = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
    first = node.lines[0].content
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    ending = node.lines[-1].ending  # "" on a last line without a newline
    gap = own_gap(node)
    return instruction(f"{indent}{node.keyword_as_written}{gap}{array}{ending}", tree.escape)


def _json_lines(tree: Dockerfile, node: Instruction, words: list[str]) -> Instruction | None:
    """`["/bin/sh", "-c", "SCRIPT"]` where SCRIPT is the command `node` wrote
    over continued lines (with `exec ` in front, or not): the string keeps
    the author's lines, each piece escaped for JSON and joined by the same
    continuations and comment lines, which BuildKit removes before it reads
    the JSON (so it reads the one-line string). None where the script is not
    the command as written."""
    if len(words) != 3 or words[1] != "-c":
        return None
    script, rest = words[2], node.reading.rest
    # Where `exec ` went in (`cd /app && exec node server.js`), if it did.
    pairs = zip(script, rest, strict=False)
    at = next((i for i, (x, y) in enumerate(pairs) if x != y), len(rest))
    inserted = script != rest and script[at : at + 5] == "exec " and script[at + 5 :] == rest[at:]
    if script != rest and not inserted:
        return None
    logical = node.logical
    start = node.reading.rest_span.start
    end = start + len(rest)
    if logical.text[start:end] != rest:
        return None
    cuts = sorted({joined for joined, _ in logical.segments if start < joined < end})
    if not cuts:
        return None
    code = node.code
    bounds = [start, *cuts, end]
    pieces: list[str] = []
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        text = logical.text[a:b]
        if inserted and a <= start + at < b:
            text = text[: start + at - a] + "exec " + text[start + at - a :]
        piece = json.dumps(text, ensure_ascii=False)[1:-1]
        pieces.append(piece)
        if k + 1 < len(bounds) - 1:
            # What stands between this piece and the next in the source: the
            # continuation, the line ending, comment lines.
            pieces.append(code[node.raw_span(a, b)[1] : node.raw_span(b, b + 1)[0]])
    shell = ", ".join(json.dumps(w, ensure_ascii=False) for w in words[:2])
    # The keyword, flags and spacing as written, the array, the line ending.
    head = code[: node.raw_span(start, start + 1)[0]]
    tail = code[node.raw_span(end - 1, end)[1] :].lstrip(" \t")
    new = f'{head}[{shell}, "' + "".join(pieces) + '"]' + tail
    try:
        built = instruction(new, tree.escape)
    except ValueError:
        return None
    return built if built.reading.json and list(built.reading.args) == words else None


def _rewritten(old: Value, new: Value) -> bool:
    """Whether `new` is `old` (a CMD/ENTRYPOINT as BuildKit stores it) or what
    this fix makes of it: the plain words, the shell with `exec`, or the
    array a command meant as JSON was meant as (`meant_json`)."""
    if old == new:
        return True
    if not isinstance(old, tuple) or len(old) < 2 or not isinstance(old[-1], str):
        return False
    meant = meant_json(old[-1])
    if meant is not None:  # a command meant as JSON: only that array
        return new == tuple(meant.words)
    if len(old) < 3:
        return False
    shell, text = old[:-1], old[-1]
    if not all(isinstance(a, str) for a in shell) or not plain_posix(shell):
        return False
    words = exec_words(text)
    if words is not None and new == tuple(words):
        return True
    return any(
        (wrapped := exec_form(text, variable_program=True, spaced=spaced)) is not None
        and new == (*shell, wrapped)
        for spaced in (True, False)
    )


# What BuildKit must read in the output: the build is the same but for CMD and
# ENTRYPOINT, each of which (in the config and in every history entry) is the
# same command or its JSON form, or, for a command meant as JSON, that array.
POSTCONDITION = keeps_rewritten(("cmd", "entrypoint"), _rewritten)
