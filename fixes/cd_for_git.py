"""## What it does
Replaces a `cd DIR &&` that only serves `git` commands with git's own
`-C DIR` (hadolint DL3003):

```dockerfile
RUN git clone https://example.com/tool.git /opt/tool && cd /opt/tool && git checkout v1.2
```

becomes

```dockerfile
RUN git clone https://example.com/tool.git /opt/tool && git -C /opt/tool checkout v1.2
```

A `cd DIR` is rewritten when it is tied by `&&` to one or more `git`
commands, each tied by `&&` to the next, and nothing after them runs in the
folder the `cd` went to: they end the script or the subshell the `cd` is in,
or the next command is a `cd` to an absolute path, or it is `cd ..` back
from a folder one level down (`git clone URL && cd repo && git checkout v1
&& cd .. && …`), which goes too. Before the `cd` comes the start of the
script or of a subshell, `&&`, `;` or a new line: never `||` or a pipe,
after which the commands would run where the `cd` may not have been.

This runs before `cd-workdir`, which turns the other `cd`s into `WORKDIR`:
for these, `git -C` keeps the `RUN` whole (one layer, no `WORKDIR` to set
back), as someone who knows git would write it.

## Why is this bad?
`cd` in a `RUN` hides where the commands run; hadolint asks for `WORKDIR`.
For git, which takes the folder to work in as an option, neither is needed.

## Example
```dockerfile
FROM debian:bookworm
RUN cd /opt && git clone https://example.com/tool.git && cd tool && git checkout v1.2
```

Use instead (with `cd-workdir` for the first `cd`):
```dockerfile
FROM debian:bookworm
WORKDIR /opt
RUN git clone https://example.com/tool.git && git -C tool checkout v1.2
WORKDIR /
```

## Fix safety
Unsafe: the build graph changes (the `RUN`'s command text), and `git -C`
needs git 1.8.5 (2013) or later. The fix is not offered on base images known
to ship an older git (CentOS and RHEL 6 and 7, Oracle Linux 6 and 7, Debian
7 and earlier, Ubuntu 12.04); on an image it does not know, it assumes a
newer git. `git -C DIR` runs "as if git was started in DIR": git reads its
options and paths, and its own programs and hooks run, from DIR, as after the
`cd`. What the shell itself does with the words is kept the same by refusing
the commands where it would differ: a glob or a redirection to a relative
path (the shell, not git, resolves those, from the folder it is in), `$PWD`,
`$OLDPWD`, a command substitution, or `CDPATH` anywhere in the file (which
would send a relative `cd` elsewhere). If DIR does not exist, the `cd` and
`git -C` both fail, and so does the `RUN`, as before.

The post-condition reads the two scripts word by word: the only changes are
`cd DIR &&` removed, `-C DIR` (DIR as written) right after `git` in each
command up to the end of that `cd`'s reach, checked as above, and a `&& cd
..` back from a plain folder name removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dockfix.packages import ShellRun, shell_runs
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps_commands
from dockfix.shell import raw_lexemes, spans, unquote
from dockfix.stages import ancestry, stages
from dockfix.tree import Dockerfile

RULE = Rule(
    code="DF049",
    name="cd-for-git",
    summary="RUN … cd DIR && git …: git -C DIR …, without the cd",
    safety=Safety.UNSAFE,
    hadolint="DL3003",
)
TRIGGERS = ("git",)  # one occurs in every file it reports on

# Images whose git predates `git -C` (1.8.5): CentOS/RHEL/Oracle Linux 6 and 7
# (git 1.7.1, 1.8.3), Debian 7 and earlier (1.7.10), Ubuntu 12.04 (1.7.9).
_OLD_GIT = re.compile(
    r"centos[:_-]?[67]\b|centos6|centos7|\bel[67]\b|rhel[:_-]?[67]\b|ubi7|rhel7"
    r"|oraclelinux:[67]\b|sl:[67]\b|scientific"
    r"|wheezy|squeeze|lenny|debian:[4-7]\b|precise|ubuntu:12\.",
    re.IGNORECASE,
)
# Operators after which a command starts where the one before it left the
# shell (a `cd` there has run when the next command runs).
_BEFORE_CD = frozenset({"", "&&", ";", "\n", "("})
_GLOB = re.compile(r"[*?\[]")
_REDIRECT = re.compile(r"\A[0-9]*(?:>>|>\||&>|>&|<>|>|<)")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+@-]*\Z")

_Token = tuple[str | None, str]  # (operator, "") or (None, word as written)


def _is_git(raw: str) -> bool:
    name = unquote(raw)
    return name == "git" or (name.startswith("/") and name.endswith("/git"))


def _folder_ok(raw: str) -> bool:
    """A `cd` argument that `git -C` reads the same: one plain word."""
    return (
        not raw.startswith("-")
        and "$(" not in raw
        and "`" not in raw
        and not _GLOB.search(raw)
        and "PWD" not in raw
        and unquote(raw) not in ("", "-")
    )


def _cwd_free(words: Sequence[str]) -> bool:
    """Whether the shell reads the words (after the command name) the same in
    any folder: no glob or redirection to a relative path, no `$PWD` or
    `$OLDPWD`, no command substitution."""
    target = False  # the word after a bare `>` is its target
    for raw in words:
        if "$(" in raw or "`" in raw or "PWD" in raw:
            return False
        redirect = _REDIRECT.match(raw)
        if redirect is not None or target:
            path = raw[redirect.end() :] if redirect is not None else raw
            if redirect is not None and not path:
                target = True
                continue
            target = False
            if not (path.startswith(("/", "&")) or unquote(path).startswith("/")):
                return False
            continue
        if not raw.startswith("/") and _unquoted_glob(raw):
            return False
    return not target


def _has_folder_option(words: Sequence[str]) -> bool:
    """Whether git's options before its subcommand hold a `-C` (a second one
    would stack on it: `git -C /src -C lib` is /src/lib)."""
    i = 0
    while i < len(words) and words[i].startswith("-"):
        if words[i] == "-C":
            return True
        i += 2 if words[i] == "-c" else 1
    return False


def _unquoted_glob(raw: str) -> bool:
    """Whether `raw` has a glob character outside quotes."""
    quote = ""
    i = 0
    while i < len(raw):
        ch = raw[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            i += 1
        elif ch in "*?[":
            return True
        i += 1
    return False


def _starts(found: Sequence[_Token]) -> list[int]:
    """Where the simple commands of a token list start (their first word)."""
    return [i for i, (op, _) in enumerate(found) if op is None and (i == 0 or found[i - 1][0])]


def _reach(found: Sequence[_Token], cd_at: int) -> tuple[list[int], int | None] | str | None:
    """For the `cd` at token `cd_at`: the token indexes of the git commands it
    serves and the index of a `cd ..` after them to remove (or None), or why
    it cannot be rewritten (None when the `cd` is not one this fix reads)."""
    before = found[cd_at - 1][0] if cd_at else ""
    if before is None or before not in _BEFORE_CD:
        return None
    if cd_at + 2 >= len(found) or found[cd_at + 1][0] is not None:
        return None
    if found[cd_at + 2][0] != "&&":
        return None
    folder = found[cd_at + 1][1]
    if not _folder_ok(folder):
        return None
    gits: list[int] = []
    i = cd_at + 3
    while True:
        if i >= len(found) or found[i][0] is not None or not _is_git(found[i][1]):
            return None if not gits else "a command after the git commands runs in the folder"
        j = i
        while j < len(found) and found[j][0] is None:
            j += 1
        words = [raw for _, raw in found[i + 1 : j]]
        if not _cwd_free(words):
            return "a git command's words depend on the folder the shell is in"
        if _has_folder_option(words):
            return "a git command names its folder already (-C)"
        gits.append(i)
        op = found[j][0] if j < len(found) else ""
        rest = found[j + 1 :]
        if op == "&&" and rest and rest[0][0] is None and _is_git(rest[0][1]):
            i = j + 1
            continue
        if op == "" or op == ")" or (op in (";", "\n") and all(t[0] in (";", "\n") for t in rest)):
            return gits, None
        if op == "&&" and len(rest) >= 2 and unquote(rest[0][1]) == "cd":
            target = unquote(rest[1][1]) if rest[1][0] is None else ""
            closes = len(rest) == 2 or rest[2][0] is not None
            if closes and target.startswith("/") and _folder_ok(rest[1][1]):
                return gits, None
            if closes and target == ".." and _PLAIN_NAME.match(unquote(folder)):
                if any("OLDPWD" in raw or unquote(raw) == "-" for _, raw in rest):
                    return "the script reads $OLDPWD or goes back with `cd -`"
                return gits, j + 1
        return "a command after the git commands runs in the folder"


def _old_git(tree: Dockerfile, shell_run: ShellRun) -> bool:
    chain = ancestry(stages(tree), shell_run.stage)
    images = " ".join(s.image or "" for s in chain)
    args = " ".join(n.code for n in stages(tree)[0].instructions)  # global ARG defaults
    return bool(_OLD_GIT.search(images) or _OLD_GIT.search(args))


def _edits(shell_run: ShellRun) -> list[tuple[int, int, str]]:
    """The edits (offsets in the script) for every `cd` this fix rewrites in
    the RUN."""
    script = shell_run.script
    found = spans(script)
    if found is None:
        return []
    tokens: list[_Token] = [(op, "") if op else (None, script[a:b]) for op, a, b in found]
    edits: list[tuple[int, int, str]] = []
    for first in _starts(tokens):
        if unquote(tokens[first][1]) != "cd":
            continue
        reach = _reach(tokens, first)
        if not isinstance(reach, tuple):
            continue
        gits, back = reach
        folder = tokens[first + 1][1]
        # `cd DIR && ` goes up to the first git command, as it is laid out.
        edits.append((found[first][1], found[first + 3][1], ""))
        edits.extend((found[g][2], found[g][2], f" -C {folder}") for g in gits)
        if back is not None:  # ` && cd ..` after the last git command
            edits.append((found[back - 2][2], found[back + 1][2], ""))
    return edits


def _comment_in(shell_run: ShellRun, start: int, end: int) -> bool:
    run = shell_run.run
    a, b = (start, end) if shell_run.heredoc else run.raw_span(start, end)
    return bool(re.search(r"\n[ \t]*#", run.code[a:b]))


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    if "CDPATH" in tree.code:
        return
    for shell_run in shell_runs(tree, heredocs=True):
        edits = _edits(shell_run)
        if not edits or _old_git(tree, shell_run):
            continue
        base = shell_run.base
        if any(_comment_in(shell_run, base + a, base + b) for a, b, text in edits if not text):
            continue
        run = shell_run.run
        new = shell_run.edited([(base + a, base + b, text) for a, b, text in edits])
        yield Finding(
            RULE,
            run,
            "RUN changes folder with cd for git commands: use git -C",
            Fix(
                (Edit((run,), (new,)),),
                Safety.UNSAFE,
                "Use git -C instead of cd",
                postcondition=POSTCONDITION,
            ),
        )


def git_c_only(old: str, new: str) -> str | None:
    """Whether `new` is `old` with some `cd DIR &&` replaced by `-C DIR` in
    the git commands in its reach (and a `&& cd ..` after them removed), each
    `cd` one that `_reach` accepts in `old`: None if so, else what differs."""
    a, b = raw_lexemes(old), raw_lexemes(new)
    if a is None or b is None:
        return "a RUN command this check cannot read changed"
    olds: list[_Token] = [(t, "") if op else (None, t) for t, op in a]
    news: list[_Token] = [(t, "") if op else (None, t) for t, op in b]
    i = j = 0
    while i < len(olds) or j < len(news):
        if i < len(olds) and j < len(news) and olds[i] == news[j]:
            i, j = i + 1, j + 1
            continue
        # A removed `cd`: the tokens differ where it stood.
        if i >= len(olds) or unquote(olds[i][1]) != "cd" or olds[i][0] is not None:
            return f"a RUN command changed beyond `cd DIR &&` becoming `git -C DIR` (at {i})"
        reach = _reach(olds, i)
        if not isinstance(reach, tuple):
            return f"a cd removed that this fix does not rewrite ({reach or 'not read'})"
        gits, back = reach
        folder = olds[i + 1][1]
        i += 3
        for g in gits:
            end = g
            while end < len(olds) and olds[end][0] is None:
                end += 1
            want = [olds[g], (None, "-C"), (None, folder), *olds[g + 1 : end]]
            if news[j : j + len(want)] != want or i != g:
                return "a git command in a removed cd's reach is not the same with -C DIR"
            i, j = end, j + len(want)
            if g != gits[-1]:  # the `&&` to the next git command
                if news[j : j + 1] != olds[i : i + 1]:
                    return "the operators between the git commands changed"
                i, j = i + 1, j + 1
        if back is not None:
            i = back + 2  # past `&& cd ..`
    return None


# What BuildKit must read in the output: only RUN commands change, each by
# `cd DIR &&` becoming `git -C DIR` in the git commands it served.
POSTCONDITION = keeps_commands(git_c_only)
