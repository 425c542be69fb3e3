"""## What it does
Puts `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine)
before the first `RUN` of a stage that pipes one command into another, so
that the pipe fails when any command in it fails. Where the stage already has
a `SHELL` of bash, ash or zsh, `-o pipefail` is added to it instead.

## Why is this bad?
A pipeline's exit status is its last command's: in
`RUN curl -fsSL https://example.com/install.sh | sh`, a failed download
still lets the build go on (`sh` happily runs an empty script), and the
image silently lacks what the line was meant to install. hadolint (DL4006)
asks for `-o pipefail` in the stage's `SHELL`; it accepts no other way (a
`set -o pipefail` inside the `RUN` does not count).

## Example
```dockerfile
FROM debian:12
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg
CMD ["app"]
```

Use instead:
```dockerfile
FROM debian:12
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg
CMD ["app"]
```

## Fix safety
Unsafe, and only where the stage's shell is known to have `pipefail`:
Debian and Ubuntu images and the official images built on them (bash is
installed in all of them), Red Hat-like and Amazon Linux images (bash; Amazon
Corretto's `amazoncorretto` but for its `-alpine` tags), images whose tag
names one of these distributions after a variable
(`nvidia/cuda:${CUDA}-base-ubuntu${U}`, `-ubi9`, `-amzn2023`), and
Alpine (BusyBox ash has had `set -o pipefail` since BusyBox 1.16, older than
any Alpine 3.x); and images the configuration declares (`image-shells`:
`"registry.example.com/base/*" = "debian"`, `"rhel"` or `"alpine"`). An
image whose name says nothing (`myorg/base`, `$BASE_IMAGE`, a stage built on
one) gets `/bin/bash` only where the file itself shows bash is there before
the `SHELL`:
- a `RUN` of the stage (or of the stages it is built on) up to the piped one
  ran `apt-get`, `apt`, `yum`, `dnf` or `microdnf`: apt runs on Debian and
  its derivatives, where bash is Essential (dpkg removes it only when
  forced) and installed as `/bin/bash`; the others on Red Hat-like systems,
  where bash is `/bin/sh` (or on a Debian, which has bash anyway);
- or an earlier `RUN` installed `bash` with one of them or `apk add`, or ran
  `/bin/bash` (not `bash`: the one PATH finds may be elsewhere);
- `/bin/ash` where the image's name says Alpine and a `RUN` ran `apk`;
- a later `RUN` of the stage ran `apt-get`, `yum`, `dnf` or `microdnf` (or,
  for an image named Alpine, `apk`), with no `COPY`/`ADD` to `/` between:
  that is what the image is, so bash (Essential, kept by dpkg) was there
  from the start;
- another stage built from the same image (the same `FROM` text and flags:
  one image in one build) ran `apt-get`, `yum`, `dnf`, `microdnf` (or, for an
  image named Alpine, `apk`) before any `COPY`/`ADD` to `/`: that is what the
  image is, whatever that stage installed later.
Only commands the `RUN` cannot succeed without count: the last command of
the script and those joined to it by `&&` (by `;` too after a leading
`set -e`), back to the last `if`/loop/subshell; not `apt-get update || true`,
not one in an `if`, nothing in a script with `exit` or `exec`, nor a
here-document. Evidence before a `COPY`/`ADD` to `/` (a new root file
system) does not count, and a file that may remove bash (`apt-get purge
bash`, `rm /bin/bash`) gets no fix. bash is never assumed from an image's
name alone on Alpine or an unknown image; distroless, Windows and a `SHELL` of
another shell are reported only.

The new shell runs every `RUN`, and the shell form of `CMD`, `ENTRYPOINT` and
`HEALTHCHECK`, from there to the end of the stage, in stages built `FROM` it,
and in images built from the image (its config records the shell). So:
- on Debian and Ubuntu, `/bin/sh` is dash and the new shell is bash, which
  reads some scripts differently; no instruction gets it where it uses
  what the two read differently: bash-only builtins
  (`source`, `function`, `declare`, `[[`, …), `==` in a test, `echo -e` or an
  escape such as `\n` in `echo`'s arguments, `&>`, `|&`, process
  substitution, `$(<file)` (bash reads the file, dash runs an empty command),
  `$'…'`, `$"…"` or brace expansion outside quotes (command
  substitutions are read too), the variables bash sets itself (`UID` and
  `EUID`, read-only: `${UID:-1000}` is 0 for root under bash, 1000 under
  dash; `RANDOM`, `SECONDS`, `HOSTNAME`, `BASH_*`, …), nor where an `ENV` or
  `ARG` sets `BASH_ENV` (a file bash runs before every command);
- the `SHELL` goes into the image's config, and images built `FROM` it
  run their `RUN`s in it: in a base image or toolchain, made to be built on
  (no `CMD` or `ENTRYPOINT`, or one that only starts a shell, a REPL or a
  build tool: `bash`, `python3`, `mvn`, or `ONBUILD` triggers; see
  `stages.is_base_image`), the
  shell is set back right after
  the last piped `RUN`, to the stage's own `SHELL` or to `["/bin/sh", "-c"]`
  (what BuildKit runs when the config names none), so images built on it
  run as before; each stage of the final image's ancestry that has piped
  `RUN`s sets it back after its own last one, so the stages built FROM it
  start with the shell they had; this is done only where the stage's base
  image is known (an unknown one may have a shell of its own to keep);
- with `pipefail` a pipe fails when an early command fails, which is the
  point, but also when a reader stops early and the writer gets SIGPIPE: no
  instruction where a pipe feeds `head`, `read`, `true`,
  `grep -q`/`-m`/`-l`, `sed` with `q` or `awk` with `exit`, or starts with
  `yes`, nor where `grep`, `dpkg-query --search`, `diff`, `cmp` or `ldd`
  feeds a pipe, nor `getent`, `which`, `command -v`, `id`, `pgrep`,
  `pidof`, `rpm -q`, `dpkg -l`/`-s` or `ls` with a pattern (they fail on a
  normal answer, nothing found, files that differ, a static file, a package
  not installed, which without pipefail did not matter; so does xargs
  running them) unless a checksum check (`sha256sum -c`) at its
  end fails on no input anyway, and so does `find -exec` one of them `{} +`
  (find's status is then theirs); a version probe (`httpd -v | grep -q …`) is fine: its line or two
  are written at once, when the program exits; so is `… | while read x; do
  …; done` (the loop reads to the end unless it has `break` or `exit`), and
  the last pipe of a command substitution (`$(…)` or backquotes) that is an
  argument of a command (`[ "$(pip list | awk '… exit')" = 24 ]`): the
  command uses what the pipe prints, never its status (in an assignment,
  `V=$(… | head -1)`, the status is the assignment's, and it is refused); a
  compound command that writes into a pipe (`{ …; } |`, `( … ) |`, a loop,
  an `if`) is read the same way, its commands as the pipe's writers, unless
  it ends with `|| true` (its status is then 0);
- in a shell-form `RUN` (no here-document), the writers of such a pipe
  are guarded instead, each on its own: `grep x f | sort` becomes
  `{ grep x f || true; } | sort`, `cat f | head -1` becomes
  `{ cat f || true; } | head -1`. A guarded writer's status is 0, as good as
  unused, which is what it was without pipefail, and pipefail still fails
  the pipe for every other stage. Not done for a compound command writing
  into a pipe, nor inside backquotes. The post-condition reads the guards
  from the two texts alone: nothing else changed, each guard opens where a
  command starts and closes right before a pipe (never around the stage
  whose status counts), and no pipe is left that pipefail would fail;
- such an instruction that cannot be guarded, or one that bash would read
  differently from dash (above), keeps the shell it had: `SHELL ["/bin/sh", "-c"]` (or the stage's
  own SHELL) goes right before it, and the new shell again before the next
  piped `RUN` after it, so the stage's other pipes still get pipefail; where
  the stage's first piped `RUN` is such a one, it is reported and the new
  shell goes before the next piped `RUN`. Not done where such an instruction
  is a `HEALTHCHECK` (Docker runs its shell form with the image's last
  shell), sits in a stage built FROM this one, or the image's own shell is not
  known (nothing to set back to), nor where a stage would need more than
  five `SHELL`s;
- a stage with `ONBUILD` triggers is left alone (the triggers would run under
  the new shell in other builds);
- an image known to set its own `SHELL` with pipefail (CircleCI's `cimg/*`:
  bash `-exo pipefail`; Jupyter's docker-stacks) gets that very `SHELL`
  written out above the first piped `RUN`: its `RUN`s fail on a failed pipe
  already (hadolint cannot see the base image's config), they run in the same
  shell after the fix, and a new `SHELL` would have dropped its `-e` and `-x`;
- `-o pipefail` goes into a stage's own `SHELL` right before its `-c`, after
  bash's long options (`--login`), which bash takes first only;
- a `RUN <<EOF` whose script starts with `#!` is run by the interpreter it
  names, not by the `SHELL`: it is not counted as a piped `RUN`.
The `SHELL` goes above the comments that sit directly over the `RUN`, so a
suppression comment keeps its instruction. The post-condition checks that
the only changes are the shell of the `RUN` steps and of the shell-form
`CMD`/`ENTRYPOINT` (the same text, run by the same shell with
`-o pipefail`, or by bash or ash with `-o pipefail` instead of `/bin/sh`),
the image's shell and its history; in a base image, the shell in its
config is the one it had.

## Revealed findings
hadolint checks each `RUN` with shellcheck in the dialect of the stage's
shell: `sh` before the fix, `bash` or `dash` after it (shellcheck reads
`ash` as `dash`). Some findings on the same line then change their name:
SC3037 (echo flags are undefined in POSIX sh) becomes `SC3036` (the same,
for dash; BusyBox ash's `echo` does take `-e`), and SC2046 on
`export NAME=$(…)` (sh splits the value) becomes `SC2155` (bash does not
split it, but the assignment hides the command's exit status). Other findings
of a `RUN` can move with the dialect too: seen on a real file, `SC2016` (a
`$` in single quotes, given to `bash -c` through `xargs`) reported under bash
where sh had reported SC3037 (`echo -n`) for the same `RUN`, and `SC2162`
(`read` without `-r`, in `… | while read x`) reported under bash where sh had
reported SC3037 (`echo -n`) in the loop, `SC2012` (use `find` instead of
`ls`) where a guard turned `ls | grep -v x` (SC2010 before) into `ls | { grep
-v x || true; }`, and `SC2086` (an unquoted
`${pkg##*/}`) reported under bash where sh had reported only SC3059 (`${ch,,}`,
case modification, is not POSIX) for the same loop.

A stage built FROM a stage whose `SHELL` already has pipefail runs its `RUN`s
in that shell (BuildKit passes it on), but hadolint starts every stage from
`sh`: the fix writes the same `SHELL` again above the stage's first piped
`RUN` (no change for BuildKit), and from there hadolint checks the stage's
`RUN`s as the bash scripts they always were. Seen on a real file: `SC2071`
(`<` in `[[ … ]]` compares strings) where sh had reported SC3010 (`[[` is not
POSIX), `SC2001` (`$(echo "$V" | sed …)` could be `${V//…/…}`, bash-only, so
not suggested for sh) and `SC2035` (`rm -rf *`: a name starting with `-`
would be an option) where sh had reported SC3009 (brace expansion) first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from dockfix import images
from dockfix.editing import edit_many
from dockfix.images import Shells
from dockfix.parser import parse_instruction
from dockfix.rewrites import Step, compare
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import Value, model
from dockfix.shell import RESERVED, Command, _lex, commands
from dockfix.stages import Stage, ancestry, is_base_image, stages
from dockfix.style import own_gap
from dockfix.tree import Blank, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF053",
    name="pipefail",
    summary="RUN with a pipe: a SHELL with -o pipefail where the image's shell has it",
    safety=Safety.UNSAFE,
    hadolint="DL4006",
)
TRIGGERS = ("|",)  # one occurs in every file it reports on
DEFAULT_SHELL = ("/bin/sh", "-c")
_NEW_SHELL = {Shells.DASH: "/bin/bash", Shells.BASH: "/bin/bash", Shells.ASH: "/bin/ash"}
# The shells hadolint accepts `-o pipefail` for, as it compares their names.
_ACCEPTED = frozenset({"/bin/bash", "/bin/zsh", "/bin/ash", "bash", "zsh", "ash"})
_NON_POSIX = ("pwsh", "powershell", "cmd")
# Builtins bash has and dash does not (dash fails on them: "not found").
_BASH_ONLY = frozenset(
    {
        "source",
        "function",
        "select",
        "shopt",
        "declare",
        "typeset",
        "let",
        "pushd",
        "popd",
        "dirs",
        "disown",
        "mapfile",
        "readarray",
        "complete",
        "compgen",
        "caller",
        "bind",
        "[[",
    }
)
# Syntax bash reads and dash does not, outside quotes.
_BASH_SYNTAX = re.compile(r"\[\[|&>|\|&|<\(|>\(|\$'|\$\"|(?<![$\\])\{[^{}\s]*(?:,|\.\.)[^{}\s]*\}")
_PIPE = re.compile(r"(?<!\|)\|(?!\|)")
# Commands that read until they have what they want, then stop: the writer
# before them may get SIGPIPE, which pipefail makes a failure.
_EARLY_READERS = frozenset({"head", "read", "true", ":", "false", "exit", "less", "more"})
# Commands that fail on empty input anyway (a grep before them that finds
# nothing fails the pipe with or without pipefail).
_FAIL_ON_EMPTY = frozenset({"sha1sum", "sha256sum", "sha512sum", "md5sum", "shasum"})


def _outside_quotes(text: str) -> str:
    """`text` with the contents of quotes blanked (escapes kept as they are)."""
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
                out.append(ch)
            elif ch == "\\" and quote == '"' and i + 1 < len(text):
                out.append("  ")
                i += 1
            else:
                out.append(" ")
        else:
            if ch in "'\"":
                quote = ch
            elif ch == "\\" and i + 1 < len(text):
                out.append(ch + text[i + 1])
                i += 2
                continue
            out.append(ch)
        i += 1
    return "".join(out)


_SPECIAL = re.compile(r"[\\'\"`]|\$\(")


def _top_substitutions(text: str, quotes: bool = True) -> list[tuple[int, str]]:
    """(start, body) of the outermost `$(...)` and backquoted command
    substitutions in `text`, roughly: quotes inside a body are not read. Text
    in single quotes is skipped, unless the quotes do not pair up (a comment's
    apostrophe): then every `$(` and backquote counts."""
    if "$(" not in text and "`" not in text:
        return []
    found: list[tuple[int, str]] = []
    quote = ""
    i, n = 0, len(text)
    while i < n:
        if quote == "'" and quotes:
            end = text.find("'", i)
            if end < 0:
                break
            quote, i = "", end + 1
            continue
        # Jump to the next character that matters (a loop over every
        # character was a few percent of a bulk run).
        special = _SPECIAL.search(text, i)
        if special is None:
            break
        i = special.start()
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "'\"":
            if quotes and quote in ("", ch):
                quote = "" if quote else ch
            i += 1
        elif ch == "$":  # `$(`
            depth, j = 1, i + 2
            while j < n and depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            found.append((i, text[i + 2 : j - 1]))
            i = j
        else:  # a backquote
            j = i + 1
            while j < n and text[j] != "`":
                j += 2 if text[j] == "\\" else 1
            body = re.sub(r"\\([`$\\])", r"\1", text[i + 1 : j])
            found.append((i, body))
            i = j + 1
    if quote and quotes:
        return _top_substitutions(text, quotes=False)
    return found


def _substitutions(text: str) -> list[str]:
    """The bodies of the command substitutions in `text`, nested ones too."""
    bodies: list[str] = []
    for _, body in _top_substitutions(text):
        bodies.append(body)
        bodies.extend(_substitutions(body))
    return bodies


def _scripts(text: str) -> list[str] | None:
    """`text` and its command substitutions, or None if one cannot be read."""
    scripts = [text, *_substitutions(text)]
    return None if any(commands(s) is None for s in scripts) else scripts


# Variables bash sets itself (UID and EUID read-only, whatever the
# environment says), which dash leaves to the environment: `${UID:-1000}` is
# 0 for root under bash.
_BASH_VARIABLES = re.compile(
    r"\$\{?(?P<name>UID|EUID|GROUPS|RANDOM|SRANDOM|SECONDS|HOSTNAME|HOSTTYPE|OSTYPE"
    r"|MACHTYPE|BASH\w*|PIPESTATUS|FUNCNAME|EPOCHSECONDS|EPOCHREALTIME|SHELLOPTS|DIRSTACK)\b"
    r"|(?:^|[\s;&|(])(?P<set>UID|EUID)="
    r"|(?P<read>\$\(\s*<)"  # `$(<file)`: bash reads the file, dash runs nothing
)


@lru_cache(maxsize=512)  # by text: the same RUNs are read again on every tree of a file
def bashism(text: str) -> str | None:
    """What bash would read differently from dash in `text`, if anything."""
    scripts = _scripts(text)
    if scripts is None:
        return "a command dockfix cannot read"
    variable = _BASH_VARIABLES.search(text)
    if variable is not None:
        if variable.group("read"):
            return "`$(<file)`, which only bash reads as the file's text"
        name = variable.group("name") or variable.group("set")
        return f"`{name}`, a variable bash sets itself"
    for script in scripts:
        found = _BASH_SYNTAX.search(_outside_quotes(script))
        if found:
            return f"`{found.group(0)}`"
        for cmd in commands(script) or ():
            name = cmd.name
            if name in _BASH_ONLY:
                return f"`{name}`"
            if name in ("[", "test") and "==" in cmd.args:
                return "`==` in a test"
            if name == "echo" and cmd.args:
                first = cmd.args[0]
                if re.fullmatch(r"-[neE]*[eE][neE]*", first) or any(
                    re.search(r"\\[bcfnrtv0\\]", a) for a in cmd.args
                ):
                    return "`echo` with escapes"
    return None


@lru_cache(maxsize=512)
def risky_pipe(text: str) -> str | None:
    """A pipe that pipefail would fail although nothing went wrong."""
    if _scripts(text) is None:
        return "a command dockfix cannot read"
    return _risky(text, quiet_end=False)


def _risky(script: str, quiet_end: bool) -> str | None:
    """A risky pipe in `script`; with `quiet_end` the status of its last
    pipeline is not used (the script is a command substitution in a
    command's argument: `[ "$(pip list | awk '... exit')" = x ]`, `echo "$(…)"`
    use what it prints, never its status)."""
    cmds = commands(script)
    if cmds is None:
        return "a command dockfix cannot read"
    for pipeline in _used_pipelines(cmds, quiet_end):
        why = _pipeline_risk(pipeline, cmds)
        if why is not None:
            return why
    why = _compound_risk(script, cmds)
    if why is not None:
        return why
    arguments = [(w.start, w.end) for c in cmds for w in c.words[1:]]
    for start, body in _top_substitutions(script):
        why = _risky(body, any(a <= start < b for a, b in arguments))
        if why is not None:
            return why
    return None


def _used_pipelines(cmds: Sequence[Command], quiet_end: bool) -> Iterator[list[Command]]:
    """The pipelines of `cmds` whose status is used: not one followed by
    `|| true` (`_masked`), nor the last with `quiet_end` (see `_risky`)."""
    pipeline: list[Command] = []
    for n, cmd in enumerate(cmds):
        pipeline.append(cmd)
        if cmd.after == "|":
            continue
        if not (quiet_end and n == len(cmds) - 1) and not _masked(cmds, n):
            yield pipeline
        pipeline = []


def _masked(cmds: Sequence[Command], n: int) -> bool:
    """Whether the pipeline ending with the `n`th command is followed by
    `|| true` (or `|| :`): its status is then never used."""
    after = cmds[n + 1] if n + 1 < len(cmds) else None
    return (
        cmds[n].after == "||"
        and after is not None
        and after.name in ("true", ":")
        and not after.args
        and after.after != "|"
    )


# --- guards: `{ CMD || true; }` around a pipe's writer that may fail on a normal answer


def guarded_text(script: str) -> str | None:
    """`script` with each pipe writer that pipefail would fail on a normal
    answer (a `grep` finding nothing, a `yes` or a `cat` before `head` getting
    SIGPIPE) wrapped in `{ … || true; }`, which keeps the status that writer
    had without pipefail (none) and lets pipefail fail the pipe for every
    other stage; None where a risky pipe cannot be guarded so (a compound
    command's, one in backquotes) or none is at risk."""
    spans = guard_spans(script)
    return None if spans is None else _with_guards(script, spans)


def guard_spans(script: str) -> list[tuple[int, int]] | None:
    """The spans `guarded_text` wraps, or None (see there)."""
    if risky_pipe(script) is None:
        return None
    spans = _guard_spans(script, quiet_end=False)
    if not spans or risky_pipe(_with_guards(script, spans)) is not None:
        return None
    return spans


def _with_guards(script: str, spans: list[tuple[int, int]]) -> str:
    text = script
    for start, end in sorted(spans, reverse=True):
        text = f"{text[:start]}{GUARD_OPEN}{text[start:end]}{GUARD_CLOSE}{text[end:]}"
    return text


GUARD_OPEN, GUARD_CLOSE = "{ ", " || true; }"


def _guard_spans(script: str, quiet_end: bool) -> list[tuple[int, int]] | None:
    """The spans of the writers to guard in `script` (see `guarded_text`)."""
    cmds = commands(script)
    if cmds is None or _compound_risk(script, cmds) is not None:
        return None
    spans: list[tuple[int, int]] = []
    for pipeline in _used_pipelines(cmds, quiet_end):
        for k in sorted(_stage_risks(pipeline, cmds)):
            start = _stage_start(script, pipeline[k])
            if start is None or pipeline[k].name in _UNGUARDED or _FUNCTION.search(script):
                return None
            spans.append((start, pipeline[k].end))
    arguments = [(w.start, w.end) for c in cmds for w in c.words[1:]]
    for start, body in _top_substitutions(script):
        quiet = any(a <= start < b for a, b in arguments)
        if _risky(body, quiet) is None:
            continue
        if script[start] != "$":
            return None  # backquotes: their body is not the text as written
        inner = _guard_spans(body, quiet)
        if inner is None:
            return None
        spans.extend((start + 2 + a, start + 2 + b) for a, b in inner)
    return spans


_STAGE_LEADS = frozenset({"|", "&&", "||", ";", "\n", "&", "("})


def _stage_start(script: str, cmd: Command) -> int | None:
    """Where the pipe stage of `cmd` starts (its assignments included), if
    what comes before it lets a group start there."""
    tokens = list(_lex(script))
    k = next((i for i, t in enumerate(tokens) if t[1] == cmd.start), None)
    if k is None:
        return None
    while k and tokens[k - 1][0] is None and _ASSIGNMENT.match(script[tokens[k - 1][1] :]):
        k -= 1
    if k:
        op, start, stop = tokens[k - 1]
        if op is None and script[start:stop] not in _LEADS:
            return None
        if op is not None and op not in _STAGE_LEADS:
            return None
    return tokens[k][1]


_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
# `|| true` turns `set -e` off inside what it guards: a function's or an
# `eval`'s commands would go on after a failure; `exec` never comes back to it.
_UNGUARDED = frozenset({"eval", ".", "source", "exec"})
_FUNCTION = re.compile(r"(?:^|[\s;&|(])[A-Za-z_][\w.:-]*\s*\(\s*\)|\bfunction\s", re.M)


# Compound commands and the word that closes each (a subshell's `(` is an
# operator, closed by `)`).
_CLOSERS = {"{": "}", "if": "fi", "for": "done", "while": "done", "until": "done", "case": "esac"}
# Words after which a command starts.
_LEADS = frozenset({"then", "do", "else", "elif", "if", "while", "until", "!", "{"})


def _compound_writers(script: str) -> list[tuple[int, int]] | None:
    """(start, end) of each compound command of `script` that writes into a
    pipe (`{ …; } | x`, `( … ) | x`, `for …; done | x`, `if …; fi | x`),
    or None if its compound commands do not pair up. The command list
    (`commands`) reads the commands inside them, not that their status is a
    pipe's stage."""
    tokens = list(_lex(script))
    found: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (the closing word, where the compound starts)
    at_start = True
    for k, (op, start, stop) in enumerate(tokens):
        closed: int | None = None
        if op == "(" and k + 1 < len(tokens) and tokens[k + 1][0] == ")":
            continue  # `name()`: a function's body follows
        if op == ")" and k and tokens[k - 1][0] == "(":
            at_start = True
            continue
        if op is not None:
            in_case = bool(stack) and stack[-1][0] == "esac"
            if in_case and op in ("(", ")", "|"):
                previous = script[tokens[k - 1][1] : tokens[k - 1][2]]
                if op == "(" and previous not in ("in", ";;"):
                    return None  # a subshell in a branch, or a pattern after a newline
                at_start = op == ")"  # a pattern's parenthesis or alternative
                continue
            if op == "(" and at_start:
                stack.append((")", start))
            elif op == ")":
                if not stack or stack[-1][0] != ")":
                    return None
                closed = stack.pop()[1]
            at_start = op != ")"
        else:
            word = script[start:stop]
            if at_start and word in _CLOSERS:
                stack.append((_CLOSERS[word], start))
            elif at_start and stack and word == stack[-1][0]:
                closed = stack.pop()[1]
            elif at_start and word in ("}", "fi", "done", "esac"):
                return None
            at_start = closed is None and word in _LEADS
        if closed is not None:
            # Redirections may follow the closing word; then the operator.
            rest = next((t for t in tokens[k + 1 :] if t[0] is not None), None)
            if rest is not None and rest[0] == "|":
                found.append((closed, stop))
    return None if stack else found


def _guarded(script: str, start: int, end: int) -> bool:
    """Whether the group or subshell script[start:end] ends with `|| true` or
    `|| :`, so that its status is 0 whatever its commands do."""
    inner = script[start + 1 : end - 1].rstrip(" \t\n;")
    return script[start] in "{(" and bool(re.search(r"\|\|[ \t]*(?:true|:)\Z", inner))


def _compound_risk(script: str, cmds: Sequence[Command]) -> str | None:
    """A compound command writing into a pipe whose status pipefail would make
    a failure: one of its commands fails on a normal answer, or a reader
    after it may stop early."""
    writers = _compound_writers(script)
    if writers is None:
        return "a command dockfix cannot read"
    for start, end in writers:
        if _guarded(script, start, end):
            continue
        for cmd in cmds:
            if start <= cmd.start < end:
                name = cmd.name.rsplit("/", 1)[-1]
                why = "`yes` in a pipe stops with SIGPIPE" if name == "yes" else None
                why = why or _fails_finding_nothing(name, cmd.args)
                if why is not None:
                    return f"{why} (in a compound command that feeds a pipe)"
        readers: list[Command] = []
        for cmd in cmds:
            if cmd.start < end or (readers and readers[-1].after != "|"):
                continue
            readers.append(cmd)
        why = _early_reader(readers, cmds)
        if why is not None:
            return f"{why} (after a compound command)"
    return None


def _short_echo(cmd: Command) -> bool:
    """`echo`/`printf` of words and variables: written at once, before any
    reader can leave (`echo "$V" | grep -q x`)."""
    return cmd.name in ("echo", "printf") and not any(
        "$(" in w.text or "`" in w.text for w in cmd.words
    )


def _version_probe(cmd: Command) -> bool:
    """`PROGRAM -v`, `-V`, `--version` or `version` (its errors joined with
    `2>&1` or not): a short output."""
    args = [a for a in cmd.args if a != "2>&1"]
    return len(args) == 1 and args[0] in ("-v", "-V", "--version", "version")


def _pipeline_risk(pipeline: list[Command], script: Sequence[Command]) -> str | None:
    """Why pipefail would fail `pipeline` on a normal answer, if it would."""
    return next(iter(_stage_risks(pipeline, script).values()), None)


def _stage_risks(pipeline: list[Command], script: Sequence[Command]) -> dict[int, str]:
    """The stages of `pipeline` that pipefail would fail on a normal answer,
    each with why, in the order the reasons are looked for (`yes`, readers
    that stop early, writers that fail finding nothing)."""
    if len(pipeline) < 2:
        return {}
    if len(pipeline) == 2 and (_version_probe(pipeline[0]) or _short_echo(pipeline[0])):
        # `httpd -v | grep -q …`: a line or two, written at once when the
        # program exits (stdio buffers a pipe fully), so the reader cannot
        # leave before it; only what the reader says counts.
        return {}
    names = [c.name.rsplit("/", 1)[-1] for c in pipeline]
    sigpipe = "`yes` in a pipe stops with SIGPIPE"
    risks = {k: sigpipe for k, name in enumerate(names[:-1]) if name == "yes"}
    readers = [
        (k, why) for k in range(1, len(pipeline)) if (why := _early_reader([pipeline[k]], script))
    ]
    if readers:  # every stage before the last early reader may get SIGPIPE
        for k in range(readers[-1][0]):
            risks.setdefault(k, readers[0][1])
    if any(n in _FAIL_ON_EMPTY for n in names):
        return risks
    for k, cmd in enumerate(pipeline[:-1]):
        why = _fails_finding_nothing(names[k], cmd.args)
        if why is not None:
            risks.setdefault(k, why)
    return risks


def _early_reader(readers: Sequence[Command], script: Sequence[Command]) -> str | None:
    """Why one of `readers` (the stages of a pipe after its first) may stop
    reading before its writer is done, which then gets SIGPIPE."""
    for cmd in readers:
        name = cmd.name.rsplit("/", 1)[-1]
        if (
            name == "read"
            and cmd.before == "while"
            and not any(c.name in ("break", "exit", "return") for c in script)
        ):
            continue  # `… | while read x; do …; done` reads to the end
        if name in _EARLY_READERS:
            return f"`{name}` may stop reading early (SIGPIPE)"
        if name in _GREPS and any(
            re.match(r"-(-quiet|-silent|-max-count|-files-with|[a-zA-Z]*[qmlL])", a)
            for a in cmd.args
        ):
            return "`grep -q`/`-m`/`-l` may stop reading early (SIGPIPE)"
        if name == "sed" and any(re.search(r"[qQ]", a) for a in cmd.args if not a.startswith("-")):
            return "`sed` with `q` may stop reading early (SIGPIPE)"
        if name in ("awk", "gawk", "mawk") and any("exit" in a for a in cmd.args):
            return "`awk` with `exit` may stop reading early (SIGPIPE)"
    return None


_GREPS = frozenset({"grep", "egrep", "fgrep", "zgrep"})
# Look-ups whose "not found" is an exit status: a pipe they feed may get
# nothing, which without pipefail was a normal answer.
_LOOKUPS = frozenset({"getent", "which", "command", "id", "pgrep", "pidof", "whereis"})
# xargs options that take a value as the next word.
_XARGS_VALUED = frozenset({"-n", "-I", "-i", "-d", "-P", "-L", "-l", "-s", "-E", "-e", "-a"})


def _fails_finding_nothing(name: str, args: Sequence[str]) -> str | None:
    """Why a command fails where it only found nothing (a normal answer, which
    a pipe without pipefail ignores), or None: grep, `dpkg-query --search`
    (a path no package owns), diff and cmp (files that differ), ldd (a file
    that is not dynamic), and xargs running one of them."""
    if name in _GREPS:
        return "`grep` fails when it finds nothing"
    if name in ("dpkg-query", "dpkg") and any(a in ("-S", "--search") for a in args):
        return f"`{name} --search` fails for a path no package owns"
    if name in ("diff", "cmp"):
        return f"`{name}` fails when the files differ"
    if name == "ldd":
        return "`ldd` fails for a file that is not dynamically linked"
    if name in _LOOKUPS and (name != "command" or "-v" in args):
        return f"`{name}` fails when it finds nothing"
    if (
        name in ("rpm", "dpkg", "dpkg-query")
        and any(
            a in ("-q", "--query", "-l", "--list", "-s", "--status") or a.startswith("-q")
            for a in args
        )
        # Packages named (`rpm -qa`, `dpkg -l` list what there is: no failure).
        and any(not a.startswith("-") for a in args)
        and not any(a in ("-a", "--all") or re.fullmatch(r"-q\w*a\w*", a) for a in args)
    ):
        return f"`{name}` fails for a package that is not installed"
    if name == "ls" and any(c in a for a in args for c in "*?["):
        return "`ls` fails when its pattern matches nothing"
    if name == "find":
        # `-exec CMD {} +` makes find's own status CMD's (`-exec … \;` does not)
        for k, arg in enumerate(args[:-1]):
            if arg in ("-exec", "-execdir") and "+" in args[k + 1 :]:
                close = args.index("+", k + 1)
                if ";" in args[k + 1 : close]:
                    continue
                inner = _fails_finding_nothing(args[k + 1].rsplit("/", 1)[-1], args[k + 2 : close])
                if inner:
                    return f"{inner} (run by find -exec … +)"
        return None
    if name == "xargs":
        k = 0
        while k < len(args) and args[k].startswith("-"):
            k += 2 if args[k] in _XARGS_VALUED else 1
        if k < len(args):
            inner = _fails_finding_nothing(args[k].rsplit("/", 1)[-1], args[k + 1 :])
            return f"{inner} (run by xargs)" if inner else None
    return None


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is not None:
            yield from _stage(tree, all_stages, stage)


def _args(node: Instruction) -> tuple[str, ...] | None:
    reading = node.reading
    return tuple(reading.args) if reading.json else None


def _accepted(shell: Sequence[str]) -> bool:
    """hadolint's reading: a non-POSIX shell, or bash/zsh/ash with `-o pipefail`."""
    if not shell:
        return False
    if any(shell[0].startswith(p) for p in _NON_POSIX):
        return True
    return shell[0] in _ACCEPTED and "pipefail" in shell and _has_o(shell)


def _has_o(shell: Sequence[str]) -> bool:
    return any(a.startswith("-") and not a.startswith("--") and "o" in a for a in shell[1:])


_HEREDOC_MARK = re.compile(r"<<-?\s*(['\"]?)[A-Za-z_][A-Za-z0-9_]*\1")


def script(node: Instruction) -> str:
    """The shell text an instruction hands to the shell (heredoc bodies included)."""
    text = node.reading.rest if not node.reading.json else ""
    return "\n".join([text, *(h.content for h in node.heredocs)])


def scripts(node: Instruction) -> list[str]:
    """The shell texts of an instruction: its command (heredoc markers left
    out) and its heredoc bodies."""
    text = node.reading.rest if not node.reading.json else ""
    if node.heredocs:
        text = _HEREDOC_MARK.sub("", text)
    return [text, *(h.content for h in node.heredocs)]


def runs_own_interpreter(node: Instruction) -> bool:
    """A `RUN <<EOF` whose script starts with `#!`: BuildKit runs the file
    itself, with the interpreter it names, not the stage's SHELL."""
    if not node.heredocs:
        return False
    return bool(_HEREDOC_MARK.fullmatch(node.reading.rest.strip())) and node.heredocs[
        0
    ].content.startswith("#!")


def has_pipe(node: Instruction) -> bool:
    if node.keyword != "run" or node.reading.json or runs_own_interpreter(node):
        return False
    text = script(node)
    cmds = commands(text)
    if cmds is None:  # here-documents in the shell: any `|` may be a pipe
        return bool(_PIPE.search(text))
    if any(c.after == "|" for c in cmds):
        return True
    if _PIPE.search(text) and _compound_writers(text):  # `{ …; } | x`
        return True
    # Pipes inside command substitutions count too (the shell inherits pipefail).
    return ("$(" in text or "`" in text) and bool(_PIPE.search(text))


def _inherited(all_stages: list[Stage], stage: Stage) -> tuple[str, ...] | None:
    """The shell a stage starts with: the last SHELL of the stage it is built FROM."""
    for parent in ancestry(all_stages, stage)[1:]:
        if parent.shell is not None:
            return tuple(parent.shell)
    return None


def _stage(tree: Dockerfile, all_stages: list[Stage], stage: Stage) -> Iterator[Finding]:
    chain = ancestry(all_stages, stage)
    family = images.shells(chain[-1].image)
    current = _inherited(all_stages, stage)
    shell_node: Instruction | None = None
    skipped = False  # a piped RUN since `shell_node` was reported as it is
    ok = False  # hadolint's state: reset by FROM
    for n, node in enumerate(stage.instructions):
        if node.keyword == "shell":
            args = _args(node)
            current, shell_node, skipped = args, node, False
            ok = args is not None and _accepted(args)
            continue
        if node.keyword != "run" or ok or not has_pipe(node):
            continue
        message = "RUN with a pipe: set -o pipefail in the stage's SHELL"
        own = images.configured_shell(chain[-1].image) if current is None else None
        if own is not None:
            # The RUNs have pipefail already, from the image's config, which
            # hadolint cannot see: the same SHELL, written out, says so and
            # changes no RUN (a new one would drop cimg's -e and -x).
            written = _edits(tree, stage, n, own, None, None, None, {}, None, {})
            assert not isinstance(written, str)  # one SHELL, no restore
            yield Finding(
                RULE,
                node,
                f"{message} (the image `{chain[-1].image}` sets its own SHELL, "
                f"`{' '.join(own)}`, which has pipefail already; hadolint does not know it)",
                Fix(written, Safety.UNSAFE, "Write the image's SHELL", postcondition=postcondition),
            )
            return
        base = _base_image(all_stages, stage)
        shell = None if skipped else shell_node
        plan = _plan(tree, all_stages, stage, n, family, current, shell, base)
        if isinstance(plan, _Skip):
            # This RUN keeps its shell; the stage's later piped RUNs may still
            # get pipefail, from a SHELL of their own.
            yield Finding(RULE, node, f"{message} ({plan.why})")
            skipped = True
            continue
        if isinstance(plan, str):
            yield Finding(RULE, node, f"{message} ({plan})")
            return
        title = "Set -o pipefail, then the shell back" if base else "Set -o pipefail"
        yield Finding(
            RULE, node, message, Fix(plan, Safety.UNSAFE, title, postcondition=postcondition)
        )
        return


@dataclass(frozen=True)
class _Skip:
    """The piped RUN itself would fail or read differently under the new
    shell (`why`): it is reported and left to the shell it has."""

    why: str


def _base_image(all_stages: list[Stage], stage: Stage) -> bool:
    """Whether `stage`'s SHELL reaches the image's config, in an image with no
    CMD or ENTRYPOINT of its own: a base image or toolchain, whose SHELL the
    RUNs of images built FROM it inherit."""
    final = ancestry(all_stages, all_stages[-1])
    return stage in final and is_base_image(final)


def _plan(
    tree: Dockerfile,
    all_stages: list[Stage],
    stage: Stage,
    index: int,
    family: Shells | None,
    current: tuple[str, ...] | None,
    shell_node: Instruction | None,
    base: bool = False,
) -> tuple[Edit, ...] | str | _Skip:
    """The edits for the stage whose first unprotected piped RUN is at
    `index`, or why there are none (`_Skip`: that RUN itself would fail or
    read differently under the new shell). In a `base` image (the final
    stage, no CMD or ENTRYPOINT) the shell is set back after the last piped
    RUN, so that images built FROM it keep the shell they had. An instruction
    of the stage that would fail or read differently under the new shell gets
    the stage's shell back right before it (`SHELL ["/bin/sh", "-c"]` or the
    stage's own), and the next piped RUN after it the new shell again."""
    run = stage.instructions[index]
    end: int | None = None  # in a base image: the last piped RUN, after which `old` comes back
    if current == DEFAULT_SHELL:
        # An explicit `SHELL ["/bin/sh", "-c"]` (dockfix's own, before a RUN it
        # leaves to it) is the default shell: a new SHELL goes above the RUN.
        current, shell_node = None, None
        old: tuple[str, ...] | None = DEFAULT_SHELL
    else:
        old = current if current is not None else DEFAULT_SHELL if family is not None else None
    if base:
        if old is None:
            return (
                "a base image whose own shell (to set back for the images built "
                "FROM it) is not known"
            )
        end = max(k for k, node in enumerate(stage.instructions) if has_pipe(node))
        if any(node.keyword == "shell" for node in stage.instructions[index:end]):
            return "the stage sets its own SHELL between its piped RUNs"
    new: tuple[str, ...]
    if current is None:
        if family is None:
            shown = shown_shell(all_stages, stage, index)
            if shown is None:
                return "the base image's shell is not known to have pipefail"
            new, switch = (shown, "-o", "pipefail", "-c"), shown != "/bin/ash"
        else:
            new = (_NEW_SHELL[family], "-o", "pipefail", "-c")
            switch = family is Shells.DASH  # dash becomes bash
        start = index
    else:
        if len(current) < 2 or current[0] not in _ACCEPTED or current[-1] != "-c":
            named = current[0] if current else "[]"
            return f"the stage's shell `{named}` is not one to set pipefail in"
        # Right before `-c`: bash takes its long options (`--login`) first only.
        new = current if _accepted(current) else (*current[:-1], "-o", "pipefail", "-c")
        switch = False
        start = index
        if shell_node is not None:
            start = stage.instructions.index(shell_node)
    affected = _affected(all_stages, stage, start, end)
    if any(node.keyword == "onbuild" for node in affected):
        return "ONBUILD triggers would run under the new shell"
    risky: dict[int, str] = {}
    guarded: dict[int, Instruction] = {}  # id(RUN) -> the RUN with its writers guarded
    for node in affected:
        why = _why(node, switch)
        if why is None:
            continue
        fixed = _guard(node, switch) if why.startswith(_AT_RISK) else None
        if fixed is not None:
            guarded[id(node)] = fixed
        else:
            risky[id(node)] = why
    if id(run) in risky:
        return _Skip(risky[id(run)])
    if any(id(node) in risky for node in stage.instructions[start:index]):
        # Not the stage's SHELL changed in place: that would reach them too.
        start, shell_node = index, None
        affected = _affected(all_stages, stage, start, end)
    if risky:
        mine = {id(node) for node in stage.instructions[index:]}
        outside = [risky[id(n)] for n in affected if id(n) in risky and id(n) not in mine]
        if outside:
            return outside[0]
        if old is None:
            return next(iter(risky.values()))
        if any(node.keyword == "healthcheck" for node in stage.instructions if id(node) in risky):
            return next(iter(risky.values()))
    if switch and any(
        node.keyword in ("env", "arg") and "BASH_ENV" in node.reading.rest
        for s in ancestry(all_stages, stage)
        for node in s.instructions
    ):
        return (
            "bash would read a command differently from dash: BASH_ENV names a file it runs first"
        )
    return _edits(tree, stage, index, new, old, shell_node, current, risky, end, guarded)


# At most this many SHELLs go into one stage; a stage that needs more switches
# between shells is better left to its author.
MAX_SHELLS = 5


def _edits(
    tree: Dockerfile,
    stage: Stage,
    index: int,
    new: tuple[str, ...],
    old: tuple[str, ...] | None,
    shell_node: Instruction | None,
    current: tuple[str, ...] | None,
    risky: dict[int, str],
    end: int | None,
    guarded: dict[int, Instruction],
) -> tuple[Edit, ...] | str:
    """The SHELLs to insert (or the stage's SHELL to change) for a plan, and
    the `guarded` RUNs in place of theirs; with `end` (a base image), `old`
    comes back after the last piped RUN."""
    restore = old if end is not None else None
    text = json.dumps(list(new))
    run = stage.instructions[index]
    above: dict[int, Instruction] = {}  # id(node) -> the SHELL to put above it
    in_place = shell_node is not None and current is not None and new != current
    if not in_place:
        above[id(run)] = tree.style.instruction("shell", text)
    on, last = True, run
    stop = len(stage.instructions) if end is None else end + 1
    for node in stage.instructions[index + 1 : stop]:
        if node.keyword == "shell":
            break  # the stage's own SHELL takes over
        if id(node) in risky:
            if on and old is not None:
                above[id(node)] = tree.style.instruction("shell", json.dumps(list(old)))
                on = False
        elif has_pipe(node):
            if not on:
                above[id(node)] = tree.style.instruction("shell", text)
                on = True
            last = node
    if len(above) + (restore is not None and on) > MAX_SHELLS:
        return (
            f"it would take more than {MAX_SHELLS} SHELLs to keep pipefail "
            "from the instructions it would fail"
        )
    back: tuple[Node, ...] = ()
    if restore is not None and on:
        if last.lines and last.lines[-1].continued and not last.heredocs:
            return "the file ends inside the last piped RUN: a SHELL after it would join it"
        back = tree.style.spaced((tree.style.instruction("shell", json.dumps(list(restore))),))
    edits: list[Edit] = []
    if in_place and shell_node is not None:
        if len(shell_node.lines) != 1 or shell_node.heredocs:
            return "the stage's SHELL spans several lines"
        line = shell_node.lines[0]
        keyword = shell_node.keyword_as_written
        indent = line.content[: len(line.content) - len(line.content.lstrip())]
        gap = own_gap(shell_node)
        changed = parse_instruction(f"{indent}{keyword}{gap}{text}{line.ending}", tree.escape)
        edits.append(Edit((shell_node,), (changed,)))
    for node in stage.instructions:
        shell, fixed = above.get(id(node)), guarded.get(id(node))
        if shell is not None:
            insert = _insert_before(tree, node, shell, fixed)
        elif fixed is not None:
            insert = Edit((node,), (fixed,))
        else:
            continue
        if node is last and back:
            insert, back = Edit(insert.old, (*insert.new, *back)), ()
        edits.append(insert)
    mine = {id(node) for node in stage.instructions}
    for node in tree.instructions:  # guarded RUNs of the stages built FROM this one
        if id(node) in guarded and id(node) not in mine:
            edits.append(Edit((node,), (guarded[id(node)],)))
    if back:
        edits.append(Edit((), back, after=last))
    return tuple(edits)


# --- what the file itself shows of an unknown image's shells ----------------------

# Package managers that run only where bash is installed at /bin/bash: apt-get
# and apt on Debian and its derivatives, where bash is Essential (dpkg removes
# it only when forced); yum, dnf and microdnf on Red Hat-like systems, where
# bash is /bin/sh (and on a Debian that installed them, which has bash anyway).
_BASH_SYSTEMS = frozenset({"apt-get", "apt", "yum", "dnf", "microdnf"})
_APT_ACTIONS = frozenset(
    {"update", "install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "clean"}
)
_INSTALL = {"apt-get": "install", "apt": "install", "yum": "install", "dnf": "install"}
_INSTALL |= {"microdnf": "install", "apk": "add"}
_PACKAGERS = frozenset({*_INSTALL, "rpm", "dpkg"})
_REMOVE = re.compile(r"remove|purge|erase|del|autoremove|-[a-zA-Z]*[erP][a-zA-Z]*|--erase|--purge")
_ERREXIT = re.compile(r"-[a-zA-Z]*e[a-zA-Z]*")


def proven(script: str) -> list[Command]:
    """The commands of `script` that ran and succeeded whenever the script
    succeeded: the last command of the last pipeline, and of each pipeline
    joined to it by `&&` (or by `;` and newlines after a leading `set -e`),
    back to the last compound command, subshell or background job. None
    where the script has `exit`, `exec` or `return` (which may end it before
    a command runs)."""
    cmds = commands(script)
    if not cmds or any(c.name in ("exit", "exec", "return") for c in cmds):
        return []
    first = cmds[0]
    errexit = first.name == "set" and (
        any(_ERREXIT.fullmatch(a) for a in first.args) or "errexit" in first.args
    )
    chained = {"&&", ";", "\n"} if errexit else {"&&"}
    boundary = _structure_end(script)
    found: list[Command] = []
    i = len(cmds) - 1
    while i >= 0 and cmds[i].start >= boundary:
        found.append(cmds[i])  # the last command of a pipeline gives its status
        while i > 0 and cmds[i].before == "|":
            i -= 1
        if cmds[i].before not in chained:
            break
        i -= 1
    return found


def _structure_end(script: str) -> int:
    """Where the last reserved word (`fi`, `done`, …), parenthesis or `&` of
    `script` ends, 0 if there is none."""
    end, at_start = 0, True
    for op, start, stop in _lex(script):
        if op is not None:
            if op in ("(", ")", "&", ";;"):
                end = stop
            at_start = True
        elif at_start and script[start:stop] in RESERVED:
            end = stop
        else:
            at_start = False
    return end


def _proven_calls(node: Instruction) -> list[tuple[str, list[str]]]:
    """(program, arguments) of the commands a RUN proves ran and succeeded."""
    if node.reading.json:
        args = list(node.reading.args)
        return [(args[0], args[1:])] if args else []
    if node.heredocs:
        return []
    return [(c.name, c.args) for c in proven(node.reading.rest)]


def _removes_bash(node: Instruction) -> bool:
    """Whether a RUN may remove bash (`apt-get purge bash`, `rm /bin/bash`, ...)."""
    if node.keyword != "run":
        return False
    texts = [" ".join(node.reading.args)] if node.reading.json else scripts(node)
    for text in texts:
        cmds = commands(text)
        if cmds is None:  # not read: any mention of bash next to a removal counts
            if "bash" in text and _REMOVE.search(text):
                return True
            continue
        for cmd in cmds:
            program = cmd.name.rsplit("/", 1)[-1]
            if program in ("rm", "mv", "ln", "unlink") and any(
                a.endswith("/bash") or a.rstrip("/") in ("/bin", "/usr/bin") for a in cmd.args
            ):
                return True
            if (
                program in _PACKAGERS
                and "bash" in cmd.args
                and any(_REMOVE.fullmatch(a) for a in cmd.args)
            ):
                return True
    return False


def shown_shell(all_stages: list[Stage], stage: Stage, index: int) -> str | None:
    """The shell with pipefail that the file itself shows is in a stage whose
    base image is not known, at its `index`th instruction: `/bin/bash` where an
    earlier RUN (or this one) ran apt-get, apt, yum, dnf or microdnf, or an
    earlier one installed bash or ran `/bin/bash`; `/bin/ash` where an image
    named Alpine ran apk. A later RUN of the stage, or a RUN of another stage
    built from the same image (the same `FROM`), shows the image's apt, yum,
    dnf or apk too. Only commands the RUN cannot succeed without count (not
    `apt-get x || true`, nor one in an `if`), and no COPY or ADD of a whole
    file system to `/` may come between. None where nothing shows it, or
    where the file may remove bash."""
    chain = ancestry(all_stages, stage)
    earlier = [n for s in reversed(chain[1:]) for n in s.instructions]
    nodes = [*earlier, *stage.instructions[: index + 1]]
    everything = [n for s in all_stages for n in s.instructions]
    if any(_removes_bash(n) for n in everything):
        return None
    system = apk = False
    ran = False  # /bin/bash ran or was installed
    for k, node in enumerate(nodes):
        if _new_root(node):
            system = apk = ran = False  # another file system may have come in
        if node.keyword != "run":
            continue
        shows = _system_of(node)
        system, apk = system or shows[0], apk or shows[1]
        if k == len(nodes) - 1:
            continue  # bash run or installed here is not there before the SHELL
        for name, args in _proven_calls(node):
            program = name.rsplit("/", 1)[-1]
            if name == "/bin/bash":  # not `bash`: PATH may find another one
                ran = True
            if program in _INSTALL and _INSTALL[program] in args and "bash" in args:
                ran = True
    # What the image is also shows in a later RUN of the stage, up to a new
    # root file system: bash was there from the start (dpkg keeps it).
    for node in stage.instructions[index + 1 :]:
        if system or _new_root(node):
            break
        shows = _system_of(node)
        system, apk = shows[0], apk or shows[1]
    if not (system or ran) and not apk:
        system, apk = _shown_by_twins(all_stages, chain)
    if system or ran:
        return "/bin/bash"
    repository, tag = images.split(chain[-1].image)
    if apk and "alpine" in f"{repository}:{tag}":
        return "/bin/ash"
    return None


def _shown_by_twins(all_stages: list[Stage], chain: list[Stage]) -> tuple[bool, bool]:
    """Whether another stage built from the same image (the same `FROM` text
    and flags: the same image in one build) ran apt-get, apt, yum, dnf or
    microdnf, or apk, in a RUN it cannot succeed without, before any COPY or
    ADD to `/`: what the image is, not what that stage installed."""
    root = chain[-1].from_
    if root is None:
        return False, False
    key = (root.reading.args[:1], tuple(f.text for f in root.reading.flags))
    system = apk = False
    for other in all_stages:
        twin = ancestry(all_stages, other)
        if other.from_ is None or any(s in chain for s in twin):
            continue  # not one built on what this stage runs
        start = twin[-1].from_
        if (
            start is None
            or (
                start.reading.args[:1],
                tuple(f.text for f in start.reading.flags),
            )
            != key
        ):
            continue
        for node in [n for s in reversed(twin) for n in s.instructions]:
            if _new_root(node):
                break
            if node.keyword == "run":
                shows = _system_of(node)
                system, apk = system or shows[0], apk or shows[1]
    return system, apk


def _new_root(node: Instruction) -> bool:
    """A COPY or ADD to `/`: maybe a whole new root file system."""
    return node.keyword in ("copy", "add") and node.reading.args[-1:] in (("/",), ("/.",))


def _system_of(run: Instruction) -> tuple[bool, bool]:
    """Whether a RUN shows a system with bash (it cannot succeed without
    apt-get, apt, yum, dnf or microdnf running), and one with apk."""
    system = apk = False
    if run.keyword != "run":
        return system, apk
    for name, args in _proven_calls(run):
        program = name.rsplit("/", 1)[-1]
        action = next((a for a in args if not a.startswith("-")), "")
        if program in _BASH_SYSTEMS and (program != "apt" or action in _APT_ACTIONS):
            system = True
        apk = apk or program == "apk"
    return system, apk


def _insert_before(
    tree: Dockerfile, run: Instruction, new: Instruction, fixed: Instruction | None = None
) -> Edit:
    """Put `new` above `run` and the comments directly over it, in one edit
    (replacing those comments and `run` by themselves, or `run` by `fixed`),
    so that it applies whole or not at all."""
    index = tree.index(run)
    start = index - len(tree.comments_above(run))
    nodes: tuple[Node, ...] = (new,)
    if tree.style.blank_lines and isinstance(tree.items[start - 1], Blank):
        nodes = (new, Blank(tree.style.newline))
    return Edit(tree.items[start : index + 1], (*nodes, *tree.items[start:index], fixed or run))


def _affected(
    all_stages: list[Stage], stage: Stage, start: int, end: int | None = None
) -> list[Instruction]:
    """The instructions that run under the shell set at `start`: up to the
    next SHELL of the stage, and in stages built FROM it up to theirs; up to
    the `end`th instruction where the shell is set back after it."""
    if end is not None:
        return list(stage.instructions[start : end + 1])
    out: list[Instruction] = []
    for node in stage.instructions[start:]:
        if node.keyword == "shell" and out:
            return out  # a later SHELL takes over, also for the stages built FROM it
        out.append(node)
    for other in all_stages[stage.index + 1 :]:
        chain = ancestry(all_stages, other)
        if other.from_ is None or stage not in chain[1:]:
            continue
        if any(s.shell is not None for s in chain[1 : chain.index(stage)]):
            continue  # a stage between them set its own shell
        for node in other.instructions:
            if node.keyword == "shell":
                break
            out.append(node)
    return out


def _guard(node: Instruction, switch: bool) -> Instruction | None:
    """`node`, a shell-form RUN that pipefail would fail on a normal answer,
    with the pipe writers at fault guarded (`guarded_text`), if nothing is
    left in it that the new shell would fail or read differently."""
    if node.keyword != "run" or node.reading.json or node.heredocs:
        return None
    reading = node.reading
    spans = guard_spans(reading.rest)
    if spans is None or node.logical.text[reading.rest_span.start :].find(reading.rest) != 0:
        return None
    base = reading.rest_span.start
    fixed = edit_many(
        node,
        [(base + a, base + a, GUARD_OPEN) for a, _ in spans]
        + [(base + b, base + b, GUARD_CLOSE) for _, b in spans],
    )
    if fixed.reading.rest != _with_guards(reading.rest, spans) or _why(fixed, switch):
        return None
    return fixed


_AT_RISK = "pipefail would fail a pipe that works: "


def _why(node: Instruction, switch: bool) -> str | None:
    """Why `node` would fail, or read differently, under the new shell."""
    if node.keyword not in ("run", "cmd", "entrypoint", "healthcheck") or node.reading.json:
        return None
    for text in scripts(node):
        why = risky_pipe(text)
        if why is not None:
            return f"{_AT_RISK}{why}"
        why = bashism(text) if switch else None
        if why is not None:
            return f"bash would read a command differently from dash: {why}"
    return None


# --- post-condition ---------------------------------------------------------------


def _pipefail_of(old: tuple[Value, ...], new: tuple[Value, ...]) -> bool:
    """Whether shell `new` is shell `old` with `-o pipefail` (or bash/ash with
    it in place of the default /bin/sh)."""
    if new == old:
        return True
    if old == DEFAULT_SHELL and new in (
        ("/bin/bash", "-o", "pipefail", "-c"),
        ("/bin/ash", "-o", "pipefail", "-c"),
    ):
        return True
    return bool(old) and old[-1] == "-c" and new == (*old[:-1], "-o", "pipefail", "-c")


def _same_text_new_shell(old: Value, new: Value) -> bool:
    """A shell-form command (shell..., text) run by a pipefail shell."""
    if not isinstance(old, tuple) or not isinstance(new, tuple) or not old or not new:
        return False
    return old[-1] == new[-1] and _pipefail_of(old[:-1], new[:-1])


def run_gains_pipefail(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A `RUN` step whose command is run by the same shell with `-o pipefail`."""
    if i >= len(old) or j >= len(new) or old[i][0] != "run" or new[j][0] != "run":
        return None
    a, b = old[i], new[j]
    if a[:1] + a[2:] != b[:1] + b[2:] or not _same_text_new_shell(a[1], b[1]):
        return None
    return (1, 1)


def run_gains_guarded_pipefail(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A `RUN` step run by the same shell with `-o pipefail`, whose pipe
    writers that would fail on a normal answer are guarded: its command is
    what `guarded_text` makes of the old one, and nothing but the guards'
    words came in."""
    if i >= len(old) or j >= len(new) or old[i][0] != "run" or new[j][0] != "run":
        return None
    a, b = old[i], new[j]
    if a[2:] != b[2:] or not isinstance(a[1], tuple) or not isinstance(b[1], tuple):
        return None
    if not a[1] or not _pipefail_of(a[1][:-1], b[1][:-1]) or "pipefail" not in b[1][:-1]:
        return None  # guards only where pipefail comes
    before, after = a[1][-1], b[1][-1]
    if not isinstance(before, str) or not isinstance(after, str):
        return None
    if guarded_text(before) != after or not only_guards_added(before, after):
        return None
    return (1, 1)


# Where a guard may open: at the start of a command (after an operator, a
# `$(` or a word that leads one) ...
_OPENS_AFTER = re.compile(
    r"(?:\A|[|;&(\n]|(?<![^\s;&|(])(?:then|do|else|elif|if|while|until|!))[ \t]*\Z"
)
# ... and close: right before a pipe (the stage it guards is not the last).
_CLOSES_BEFORE = re.compile(r"[ \t]*\|(?!\|)")


def only_guards_added(before: str, after: str) -> bool:
    """Whether `after` is `before` with nothing but guards put in: each
    `{ ` at the start of a command, each ` || true; }` right before a pipe,
    and no pipe left that pipefail would fail on a normal answer. Read from
    the two texts alone, whatever made them."""
    # A search over (position in before, in after, guards open): where the
    # original has a `{ ` or `|| true; }` of its own, either reading may be
    # the right one.
    todo, seen = [(0, 0, 0)], set()
    while todo:
        state = todo.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j, opened = state
        if j == len(after):
            if i == len(before) and opened == 0:
                return risky_pipe(after) is None
            continue
        if i < len(before) and before[i] == after[j]:
            todo.append((i + 1, j + 1, opened))
        if after.startswith(GUARD_OPEN, j) and _OPENS_AFTER.search(after, 0, j):
            todo.append((i, j + len(GUARD_OPEN), opened + 1))
        close = j + len(GUARD_CLOSE)
        if opened and after.startswith(GUARD_CLOSE, j) and _CLOSES_BEFORE.match(after, close):
            todo.append((i, close, opened - 1))
    return False


def _gained(
    old: Sequence[tuple[Value, ...]], new: Sequence[tuple[Value, ...]], dash: bool
) -> str | None:
    """A RUN step that gained pipefail although pipefail would fail it (or,
    where `/bin/sh` may be dash, bash would read it differently)."""
    for a, b in zip(old, new, strict=False):
        if a[0] != "run" or a == b or not isinstance(a[1], tuple) or not isinstance(b[1], tuple):
            continue
        text = a[1][-1]
        if not isinstance(text, str):
            return "a RUN of an unknown command gained pipefail"
        if b[1][-1] != text:  # guarded (see run_gains_guarded_pipefail)
            if guarded_text(text) != b[1][-1]:
                return f"a RUN changed beyond its guards: {text[:60]!r}"
            text = str(b[1][-1])
        heredocs = a[6] if len(a) > 6 and isinstance(a[6], tuple) else ()
        texts = [text] if not heredocs else [_HEREDOC_MARK.sub("", text)]
        texts += [str(h[-1]) for h in heredocs if isinstance(h, tuple)]
        for script in texts:
            if risky_pipe(script) is not None:
                return f"a RUN that pipefail would fail gained it: {text[:60]!r}"
            to_bash = a[1][:-1] == DEFAULT_SHELL and b[1][0] == "/bin/bash"
            if dash and to_bash and bashism(script):
                return f"a RUN that bash reads differently from dash moved to bash: {text[:60]!r}"
    return None


def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
    old, new = model(before), model(after)
    allowed = ("history", "config.shell", "config.cmd", "config.entrypoint")
    reason = compare(old, new, [run_gains_pipefail, run_gains_guarded_pipefail], allowed)
    if reason is not None:
        return reason
    before_stages = stages(before)
    base = bool(before_stages) and _base_image(before_stages, before_stages[-1])
    real = [s for s in before_stages if s.from_ is not None]
    for n, (a, b) in enumerate(zip(old.stages, new.stages, strict=True)):
        family = None
        if len(real) == len(old.stages):
            family = images.shells(ancestry(before_stages, real[n])[-1].image)
        why = _gained(a.steps, b.steps, family not in (Shells.BASH, Shells.ASH))
        if why is not None:
            return f"stage {n + 1}: {why}"
        shell_a = a.config.get("shell", DEFAULT_SHELL)
        shell_b = b.config.get("shell", DEFAULT_SHELL)
        if not isinstance(shell_a, tuple) or not isinstance(shell_b, tuple):
            return f"stage {n + 1}: the shell is not known"
        if not _pipefail_of(shell_a, shell_b):
            return f"stage {n + 1}: the shell became {shell_b}, not {shell_a} with pipefail"
        if n == len(old.stages) - 1 and shell_a != shell_b and base:
            return "a base image's shell changed: images built FROM it would run their RUNs in it"
        for key in ("cmd", "entrypoint"):
            x, y = a.config.get(key), b.config.get(key)
            if x != y and not _same_text_new_shell(x, y):
                return f"stage {n + 1}: the image's {key} changed"
            if x != y and isinstance(x, tuple) and risky_pipe(str(x[-1])) is not None:
                return f"stage {n + 1}: the image's {key} gained pipefail, which would fail it"
    return None
