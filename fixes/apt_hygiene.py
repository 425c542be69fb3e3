"""## What it does
Tidies `RUN` instructions that install Debian or Ubuntu packages:
- `apt install` becomes `apt-get install` (and `apt update`, `apt remove`,
  `apt autoremove`, `apt clean` and the other subcommands `apt-get` runs
  alike become `apt-get …`; `apt upgrade`, which installs new dependencies
  where plain `apt-get upgrade` does not, becomes
  `apt-get upgrade --with-new-pkgs`; `full-upgrade`, `list`, `show`,
  `search` stay);
- `apt-get install` gets `-y` when it has no way to answer its prompt;
- `apt-get update` runs in the same `RUN` as the install (or the install
  has apt 3.0's `--update`, which updates first): a lone
  `RUN apt-get update` right before the install (comments and blank lines
  between allowed) is merged into it, otherwise
  `apt-get update &&` is put in front of the install;
- the `RUN` ends with `&& rm -rf /var/lib/apt/lists/*`, unless `/var/lib/apt`
  is a cache or tmpfs mount or the `RUN` runs `apt-get dist-clean` (apt 2.7
  and later: it removes the lists too; hadolint's DL3009 does not know it);
- `--no-install-recommends` is added to `apt-get install` (an unsafe fix);
- a `RUN` that updates the lists with other commands but installs nothing
  (`apt-get update && apt-get upgrade -y`) removes them at its end too, where
  no later `RUN` reads them (each install gets its own update).

## Why is this bad?
`apt` is meant for people and warns that its interface may change. Without
`-y` the install stops at its prompt and the build fails. An `apt-get update`
in its own `RUN` is cached as a layer of its own: a later change to the
package list rebuilds the install against stale package lists. The lists
left in `/var/lib/apt/lists` weigh tens of megabytes in the image, and
recommended packages add more that nothing asked for.

## Example
```dockerfile
RUN apt-get update
RUN apt install curl
```

Use instead:
```dockerfile
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
```

## Fix safety
Safe, except `--no-install-recommends`, which changes which packages are
installed and is applied only with `--unsafe-fixes`; a `RUN` whose install
takes a variable that may choose recommends (`$noInstallRecommends`, or any
variable where the `RUN` spells out `--no-install-recommends`) is reported
without it: its author decided. `curl`, `wget` and
`git` get `ca-certificates` through Recommends (libcurl4's, wget's and
git's): without it every https download fails (curl exits 60 or 77), and
Debian and Ubuntu images do not ship it. So when such an install gets the
flag and nothing before it mentions `ca-certificates` (a `RUN` of the
stages of the file it is built `FROM`, an earlier `RUN` of the stage, or the
install itself; not another stage, nor a later install, after a download
that would already have failed), the fix adds
`ca-certificates` to the install's packages (already there in images that
have it, installing it changes nothing); only to the first such install,
where the fix gives it to an earlier one too (unless a suppression comment
above that one may keep its fix out). The lists are only
removed when no later `RUN` of the stage, or of a stage built `FROM` it, uses
apt without its own update, nor runs a script before one that may
run `apt-get install` (`./setup.sh`, `sh /tmp/install.sh`): the script is
read where the file shows it copied from the build context (a literal
`COPY`/`ADD` to the path the `RUN` names, from a known working directory,
not changed by a `RUN` since), and one that names no apt and runs no other
script, or updates the lists first, lets them go; an install that updates
the lists and may not remove them is reported with the reason. An update is
only put in front of an install whose `RUN` then removes the lists (or keeps
them in a cache mount): lists left in the layer would weigh in the image and
are what hadolint's DL3009 reports, so such an install is reported without
a fix. `apt` and `apt-get` are the same program with
other defaults for people (progress bar, colours, `.deb` files not kept
after the install); for these subcommands they install and remove the same
packages: apt's `upgrade` installs new dependencies, which apt-get does with
`--with-new-pkgs` (apt sets the same option, `APT::Get::Upgrade-Allow-New`).
`full-upgrade` is left alone (older apt-get does not know the name).
The author's layout is kept: new words go next to the words they belong to,
and the final `rm` follows the continuation style of the lines above it
(`; rm -rf …` in a `set -e` script that separates its commands with `;`,
where errexit stops a failed last command as `&&` would). A
lone update under a suppression comment is not merged (the comment would
come to cover the install); the install gets its own update instead.
Exec-form `RUN`s, non-POSIX shells (`SHELL ["powershell"…]`) and commands
this fix cannot read (here-documents in the shell, unbalanced quotes) are left
alone; an `update` after `||` is not inserted, since it would change what the
`||` applies to.

The script of a `RUN <<EOF` (a heredoc BuildKit hands to the shell as the
script, see `Instruction.script_heredoc`) gets the same words, with two
differences, since its lines run one after the other whether the one before
failed or not (unless it starts with `set -e`): `-y` is safe only where a
failed install fails the `RUN` (`set -e` first, or `&&` to the end; else it
is unsafe, as in rpm-assume-yes: an aborted prompt there did not stop the
build, and the flag installs the packages), and no `apt-get update` is put
in. The lists are removed on a line of their own at the end of a `set -e`
script, else by `&& rm -rf …` after its last command, so the script exits
as before; not after a compound command or a comment. Later `RUN`s are read
for their use of the lists whatever their form: a heredoc script as such,
an exec-form `RUN` or another heredoc by the names it holds (apt, a `.sh`
script).

## Revealed findings
hadolint's apt rules read only `apt-get`: once `apt install` is
`apt-get install`, hadolint's `DL3008` (pin package versions) and `DL3015`
(`--no-install-recommends`, which the unsafe fix adds) apply to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from dockfix.editing import edit_many
from dockfix.packages import (
    ShellRun,
    append,
    appended_piece,
    errexit_tail,
    failure_fails_run,
    heredoc_append,
    onbuild_runs,
    posix_shell,
    runs_script,
    semicolon_style,
)
from dockfix.rewrites import rewrites, run_joined_into_next, script_rewritten
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.scripts import Reader, script_text
from dockfix.semantics import keeps_commands
from dockfix.shell import Command, Word, commands, edited_only, has_comment, top_level
from dockfix.stages import Stage, ancestry, stages
from dockfix.suppressions import has_pragma_above
from dockfix.tree import Blank, Comment, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF007",
    name="apt-hygiene",
    summary="apt-get install: -y, update in the same RUN, clean lists, no recommends",
    safety=Safety.SAFE,
    hadolint="DL3009,DL3014,DL3015,DL3027",
)
TRIGGERS = ("apt",)  # one occurs in every file it reports on
# What BuildKit must read in the output: only these parts may change.
LISTS = "/var/lib/apt/lists/*"
# Words the fix adds to a script (`apt` only ever becomes `apt-get`).
_ADDED = frozenset(
    {"apt-get", "update", "&&", "-y", "--no-install-recommends", "rm", "-rf", LISTS}
    | {"--with-new-pkgs"}
)


_TOKEN = re.compile(r"&&|\|\||[()|;&]|[^\s()|;&]+")


def only_apt_words(old: str, new: str) -> str | None:
    """Whether `new` is `old` with apt-hygiene's words added (and `apt` may
    become `apt-get`); a lone update joined into the install comes first in `old`."""
    *joined, script = old.split("\n")
    extra = _ADDED | {w for line in joined for w in _TOKEN.findall(line)}
    flag = "--no-install-recommends"
    if new.count(flag) > old.count(flag):
        extra |= {"ca-certificates"}  # comes with the flag (see `_CERTIFICATE_USERS`)
    if errexit_tail(script):
        extra |= {";"}  # `; rm -rf …` after a command errexit stops on (`_rm_suffix`)
    want = _TOKEN.findall(script)
    k = 0
    for word in _TOKEN.findall(new):
        if k < len(want) and (word == want[k] or (want[k], word) == ("apt", "apt-get")):
            k += 1
        elif word not in extra:
            return f"apt-hygiene does not add `{word}`"
    return None if k == len(want) else "a word of the script went missing"


# What BuildKit must read in the output: only the scripts of RUN steps change,
# by the words above, and a lone `RUN apt-get update` may join the next RUN.
POSTCONDITION = rewrites(script_rewritten(only_apt_words), run_joined_into_next(only_apt_words))


_HEREDOC_WORDS = {("-y",), ("--no-install-recommends",), ("ca-certificates",), ("--with-new-pkgs",)}


def _only_apt_pieces(old: str, new: str) -> str | None:
    """Whether the heredoc script `new` is `old` with apt-hygiene's pieces
    inserted (and `apt` become `apt-get` where `_apt_get` makes it so: not
    `apt list`), word for word and line for line."""
    for call in reversed(apt_calls(commands(old) or ())):
        if call.command.name == "apt" and call.subcommand in _SAME_IN_APT_GET:
            word = call.command.words[0]
            old = old[: word.start] + "apt-get" + old[word.end :]
    return edited_only(
        old,
        new,
        insert=lambda words: (
            words in _HEREDOC_WORDS or appended_piece(old, words, ("rm", "-rf", LISTS))
        ),
    )


# What BuildKit must read in a `RUN <<EOF` the fix rewrote: only its script
# changes, by the pieces above (no update is put in, no RUN joined).
HEREDOC_POSTCONDITION = keeps_commands(_only_apt_pieces)


# Packages that get ca-certificates through Recommends (libcurl4, which curl
# depends on, wget and git): without it their https downloads fail.
_CERTIFICATE_USERS = frozenset({"curl", "wget", "git", "libcurl4", "git-core"})
# apt-get options that take the next word as their value.
_VALUED = frozenset({"-o", "-t", "-c", "--option", "--target-release", "--config-file"})


def _packages(call: AptCall) -> list[Word]:
    """The package words of an install call (its options and their values left out)."""
    words = call.command.words[call.sub_index + 1 :]
    found: list[Word] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.value in _VALUED:
            skip = True
        elif not word.value.startswith("-"):
            found.append(word)
    return found


def _answers_yes(call: AptCall) -> bool:
    """Whether an install call answers its prompt itself (`-y`, `-qq`, ...)."""
    args = [w.value for w in call.command.words[1:]]
    return any(_YES.match(a) for a in args) or "APT::Get::Assume-Yes=true" in args


def _skips_recommends(call: AptCall) -> bool:
    args = [w.value for w in call.command.words[1:]]
    return "--no-install-recommends" in args or "APT::Install-Recommends=false" in args


_VARIABLE_WORD = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def _recommends_chosen_by(call: AptCall, script: str) -> str | None:
    """The variable among the install's words that may say whether to install
    recommends (`$noInstallRecommends`, set to `--no-install-recommends` on
    some releases only): a variable named for them, or any variable where
    the script spells the option out."""
    for word in call.command.words[call.sub_index + 1 :]:
        m = _VARIABLE_WORD.fullmatch(word.text.strip("\"'"))
        if m and ("recommend" in m.group(1).lower() or "install-recommends" in script):
            return word.text
    return None


def _needs_certificates(call: AptCall) -> bool:
    """Whether the install names a package that gets ca-certificates through
    Recommends (`_CERTIFICATE_USERS`)."""
    names = {p.value.split("=", 1)[0].split(":", 1)[0] for p in _packages(call)}
    return bool(names & _CERTIFICATE_USERS)


def _certificates_before(tree: Dockerfile, run: Instruction, at: int) -> str:
    """`ca-certificates` to insert before the package at `at`: on a line of its
    own, indented alike, where that package starts its line (a list with one
    package per line)."""
    raw = run.raw_span(at, at)[0]
    line_start = run.code.rfind("\n", 0, raw) + 1
    indent = run.code[line_start:raw]
    if line_start == 0 or indent.strip(" \t"):
        return "ca-certificates "
    newline = run.lines[0].ending or tree.newline
    return f"ca-certificates {tree.escape}{newline}{indent}"


def _installs_certificates(
    tree: Dockerfile, stage: Stage, run: Instruction, own: str, added: set[int]
) -> bool:
    """Whether ca-certificates is mentioned (installed, or known to be there)
    before `own`, the script of `run` up to an install, ends: in a RUN of the stages of the file
    the stage is built FROM, in an earlier RUN of the stage, or in `run`
    itself up to there (the install that names it too). Other stages' do not
    count (an Alpine stage's `apk add ca-certificates`), nor a later install:
    a download in between would already fail."""
    chain = ancestry(stages(tree), stage)
    earlier = [n for s in chain[1:] for n in s.instructions]
    earlier += stage.instructions[: stage.instructions.index(run)]
    return "ca-certificates" in own or any(
        n.keyword == "run"
        and (
            id(n) in added
            or "ca-certificates" in n.reading.rest + "".join(h.content for h in n.heredocs)
        )
        for n in earlier
    )


_YES = re.compile(
    r"\A-[a-zA-Z]*y[a-zA-Z]*\Z|\A--(yes|assume-yes|force-yes)\Z|\A-qq\Z|\A--quiet=2\Z"
)
_APT = ("apt-get", "apt")


@dataclass(frozen=True)
class AptCall:
    """One call of apt-get or apt, and which of its words is the subcommand."""

    command: Command
    subcommand: str  # "install", "update", ...
    sub_index: int  # index of the subcommand word in command.words

    @property
    def updates(self) -> bool:
        """Whether the call refreshes the package lists: `update`, or (apt 3.0+)
        a call with `--update`, which runs an update first."""
        return self.subcommand == "update" or any(
            w.value == "--update" for w in self.command.words[1:]
        )


def apt_calls(cmds: Sequence[Command]) -> list[AptCall]:
    calls = []
    for cmd in cmds:
        if cmd.name not in _APT:
            continue
        i = 1
        while i < len(cmd.words):
            value = cmd.words[i].value
            if value in ("-o", "-c", "-t"):
                i += 2
                continue
            if not value.startswith("-"):
                calls.append(AptCall(cmd, value, i))
                break
            i += 1
    return calls


def _lists_mounted(run: Instruction) -> bool:
    for flag in run.reading.flags:
        if flag.name == "mount" and flag.value:
            options = dict(o.partition("=")[::2] for o in flag.value.split(","))
            kind = options.get("type", "bind")
            target = (
                options.get("target") or options.get("dst") or options.get("destination") or ""
            ).rstrip("/")
            if kind in ("cache", "tmpfs") and target in ("/var/lib/apt", "/var/lib/apt/lists"):
                return True
    return False


# The apt-get subcommands that read the package lists.
_READ_LISTS = frozenset({"install", "upgrade", "dist-upgrade", "source", "build-dep"})


def _needs_lists(cmds: Sequence[Command], read: Reader | None = None, depth: int = 0) -> bool:
    """Whether this RUN (or script) uses apt's package lists without
    refreshing them first, or may: a script run before any update may run
    `apt-get install` itself, unless `read` gives its text (a script of the
    build context the file shows being copied there) and it does not."""
    calls = apt_calls(cmds)
    updated = False
    for call in calls:
        if call.updates:
            updated = True
        elif call.subcommand in _READ_LISTS and not updated:
            return True
    first_update = min((c.command.start for c in calls if c.updates), default=None)
    for cmd in cmds:
        if not runs_script(cmd) or (first_update is not None and cmd.start >= first_update):
            continue
        text = read(cmd, cmds) if read is not None and depth < 2 else None
        if text is None or _script_needs_lists(text, read, depth + 1):
            return True
    return any(c.name == "apt-cache" for c in cmds) and not updated


def _script_needs_lists(text: str, read: Reader | None, depth: int) -> bool:
    """Whether a script's text may use the lists an earlier RUN left: it
    names apt or runs a script in a way this cannot follow, or reads them."""
    if text.startswith("#!") and not re.match(r"#!\s*\S*\b(?:sh|bash|dash|ash)\b", text):
        return bool(re.search(r"\bapt", text))  # another language: only by name
    cmds = commands(text)
    if cmds is None:
        return True
    return _needs_lists(cmds, read, depth) or (
        bool(re.search(r"\bapt(?:-get|-cache|itude)?\b", text)) and not apt_calls(cmds)
    )


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    added: set[int] = set()  # RUNs given ca-certificates in this pass (`_recommends`)
    for stage in all_stages:
        if stage.from_ is None or not posix_shell(all_stages, stage):
            continue
        runs = [i for i in stage.instructions if i.keyword == "run"]
        # Stages built FROM this one inherit its files, package lists included.
        children = [
            other
            for other in all_stages[stage.index + 1 :]
            if stage in ancestry(all_stages, other)[1:]
        ]
        # Their RUNs, each with what reads the scripts it runs (as the child
        # stage copies them), and the ONBUILD RUN triggers, which run in the
        # images built FROM these stages (what they copy is not known).
        inheriting: list[tuple[Instruction, Reader | None]] = [
            (i, _reader(context, all_stages, other)(i))
            for other in children
            for i in other.instructions
            if i.keyword == "run"
        ]
        inheriting += [(i, None) for i in onbuild_runs((stage, *children))]
        needed_after: list[bool] | None = None  # for each RUN: by a later one
        for n, run in enumerate(runs):
            if run.reading.json:
                continue
            heredoc = run.script_heredoc if run.heredocs else None
            if run.heredocs and heredoc is None:
                continue
            cmds = commands(heredoc.content if heredoc is not None else run.reading.rest)
            if not cmds:
                continue
            calls = apt_calls(cmds)
            if needed_after is None and any(c.subcommand in ("install", "update") for c in calls):
                needed_after = _needed_after(
                    tree, runs, inheriting, _reader(context, all_stages, stage)
                )
            if heredoc is not None:
                shell_run = ShellRun(stage, run, cmds, heredoc=True)
                later = bool(needed_after and needed_after[n])
                yield from _check_heredoc(tree, shell_run, calls, later, added)
                continue
            if not any(c.subcommand == "install" for c in calls):
                yield from _check_apt(
                    tree, run, cmds, calls, bool(needed_after and needed_after[n])
                )
                continue
            assert needed_after is not None
            yield from _check_install(tree, stage, run, cmds, calls, needed_after[n], added)


# `apt` subcommands that `apt-get` runs alike (apt's differences are in how
# it shows progress, and, for install, that it deletes the downloaded .debs).
# `upgrade` with `--with-new-pkgs` (apt's installs new dependencies, plain
# apt-get's does not); not `full-upgrade`, `search`, `show` or `list` (older
# apt-get has no such command).
_SAME_IN_APT_GET = frozenset({"install", "update", "remove", "purge", "autoremove", "clean"})
_SAME_IN_APT_GET |= {"autoclean", "build-dep", "source", "download", "satisfy"}
_SAME_IN_APT_GET |= {"upgrade", "dist-upgrade"}


def _apt_get(base: int, calls: list[AptCall]) -> tuple[list[tuple[int, int, str]], list[str]]:
    """The edits that make each `apt` call `apt-get` where apt-get runs it alike."""
    edits: list[tuple[int, int, str]] = []
    for call in calls:
        if call.command.name != "apt" or call.subcommand not in _SAME_IN_APT_GET:
            continue
        word = call.command.words[0]
        edits.append((base + word.start, base + word.end, "apt-get"))
        args = [w.value for w in call.command.words[1:]]
        if call.subcommand == "upgrade" and "--with-new-pkgs" not in args:
            sub = call.command.words[call.sub_index]
            edits.append((base + sub.end, base + sub.end, " --with-new-pkgs"))
    return edits, ["use apt-get, not apt"] if edits else []


def _check_heredoc(
    tree: Dockerfile,
    shell_run: ShellRun,
    calls: list[AptCall],
    lists_needed_later: bool,
    added: set[int],
) -> Iterator[Finding]:
    """A `RUN <<EOF` script (`Instruction.script_heredoc`) that calls apt: `apt`
    becomes `apt-get`, installs get `-y` (safe where a failed install fails
    the RUN, see `failure_fails_run`; else unsafe, after the rest), the lists are removed at its end
    (`heredoc_append`: the script exits as before), and, unsafe,
    `--no-install-recommends`. No `apt-get update` is put in: a line of its
    own would run whether or not the one before it failed."""
    run, cmds = shell_run.run, shell_run.commands
    edits, notes = _apt_get(shell_run.base, calls)
    installs = [c for c in calls if c.subcommand == "install"]
    # -y where a failed install fails the RUN goes with the safe edits; the
    # others in a round of their own, after them (unsafe).
    unsafe: list[tuple[int, int, str]] = []
    for call in installs:
        if not _answers_yes(call):
            yes = shell_run.after_word(call.command.words[call.sub_index], "-y")
            if failure_fails_run(shell_run, call.command):
                edits.append(yes)
                notes.append("add -y")
            else:
                unsafe.append(yes)
    updates = any(c.updates for c in calls)
    if (
        (installs or (updates and len(cmds) > 1))
        and not lists_needed_later
        and not _cleaned(cmds, calls)
        and not _lists_mounted(run)
    ):
        cleanup = heredoc_append(shell_run, f"rm -rf {LISTS}")
        if cleanup is not None:
            edits.append(cleanup)
            notes.append(f"remove {LISTS}")
    if edits:
        yield Finding(
            RULE,
            run,
            "apt-get: " + "; ".join(dict.fromkeys(notes)),
            Fix(
                (Edit((run,), (shell_run.edited(_merge_inserts(edits)),)),),
                Safety.SAFE,
                "Tidy apt-get",
                postcondition=HEREDOC_POSTCONDITION,
            ),
        )
        return
    if unsafe:
        yield Finding(
            RULE,
            run,
            "apt-get install without -y, whose failure need not fail the RUN",
            Fix(
                (Edit((run,), (shell_run.edited(unsafe),)),),
                Safety.UNSAFE,
                "Add -y",
                postcondition=HEREDOC_POSTCONDITION,
            ),
        )
        return
    yield from _recommends(tree, shell_run, installs, added)


def _recommends(
    tree: Dockerfile, shell_run: ShellRun, installs: list[AptCall], added: set[int]
) -> Iterator[Finding]:
    """The unsafe `--no-install-recommends` for every install of the RUN at
    once (one finding per RUN, settled in one round), with `ca-certificates`
    where a package got it as a recommendation and nothing before installs it
    (nor gets it from this fix in the same pass: `added`, the RUNs that do,
    unless a suppression comment above may keep their fix out)."""
    run = shell_run.run
    edits: list[tuple[int, int, str]] = []
    certificates = True  # still to add where a package needs it
    extra = ""
    # A variable that chooses recommends for an install: the RUN's author
    # decided about them, for its other installs too.
    chosen = next(
        (by for c in installs if (by := _recommends_chosen_by(c, shell_run.script))), None
    )
    for call in installs if chosen is None else ():
        if _skips_recommends(call):
            continue
        sub = call.command.words[call.sub_index]
        edits.append(shell_run.after_word(sub, "--no-install-recommends"))
        own = shell_run.script[: call.command.end]
        if (
            certificates
            and _needs_certificates(call)
            and not _installs_certificates(tree, shell_run.stage, run, own, added)
        ):
            # They got it as a recommendation: without it, https fails.
            at = shell_run.base + _packages(call)[0].start
            text = "ca-certificates " if shell_run.heredoc else _certificates_before(tree, run, at)
            edits.append((at, at, text))
            certificates, extra = False, " and ca-certificates"
            if not has_pragma_above(tree, run):
                added.add(id(run))
    if chosen is not None and not all(_skips_recommends(c) for c in installs):
        yield Finding(
            RULE,
            run,
            "apt-get install without --no-install-recommends (not fixed: the RUN chooses "
            f"whether to install recommends with `{chosen}`)",
        )
    if edits:
        yield Finding(
            RULE,
            run,
            "apt-get install without --no-install-recommends",
            Fix(
                (Edit((run,), (shell_run.edited(_merge_inserts(edits)),)),),
                Safety.UNSAFE,
                f"Add --no-install-recommends{extra}",
                postcondition=HEREDOC_POSTCONDITION if shell_run.heredoc else POSTCONDITION,
            ),
        )


def _check_apt(
    tree: Dockerfile,
    run: Instruction,
    cmds: Sequence[Command],
    calls: list[AptCall],
    lists_needed_later: bool,
) -> Iterator[Finding]:
    """A RUN that calls apt but installs nothing: `apt` becomes `apt-get`, and
    one that updates the lists among other commands (`apt-get update &&
    apt-get upgrade -y`) removes them at its end where no later RUN reads
    them (a lone `RUN apt-get update` is left to the install it may join)."""
    edits, notes = _apt_get(run.reading.rest_span.start, calls)
    if (
        len(cmds) > 1
        and any(c.updates for c in calls)
        and not _cleaned(cmds, calls)
        and not _lists_mounted(run)
        and _removable(run, cmds, lists_needed_later)
    ):
        edits.append(_rm_edit(tree, run))
        notes.append(f"remove {LISTS} after apt-get update")
    if edits:
        yield Finding(
            RULE,
            run,
            "; ".join(notes),
            Fix(
                (Edit((run,), (edit_many(run, _merge_inserts(edits)),)),),
                Safety.SAFE,
                "Use apt-get" if len(notes) == 1 and notes[0].startswith("use") else "Clean up",
                postcondition=POSTCONDITION,
            ),
        )


def _reader(
    context: Context, all_stages: list[Stage], stage: Stage
) -> Callable[[Instruction], Reader]:
    """For a RUN of `stage`: what reads the text of a script a command of it
    runs, from the build context, as the file shows it copied there."""
    chain = ancestry(all_stages, stage)
    before = [n for s in reversed(chain) for n in s.instructions]

    def for_run(run: Instruction) -> Reader:
        upto = before[: before.index(run)] if run in before else []
        return lambda cmd, cmds: script_text(context, upto, cmd, cmds)

    return for_run


def _needed_after(
    tree: Dockerfile,
    runs: list[Instruction],
    inheriting: list[tuple[Instruction, Reader | None]],
    read: Callable[[Instruction], Reader] | None = None,
) -> list[bool]:
    """For each of `runs`: whether a later one, or one of `inheriting`, uses the
    package lists without refreshing them (`_needs_lists`), in one pass from
    the end. A later RUN this fix gives its own `apt-get update` (in the same
    round) reads its own lists, not older ones: so the RUNs of a stage that
    each install without an update are all fixed at once."""
    needed = any(_run_needs_lists(r, reader) for r, reader in inheriting)
    after: list[bool] = []
    for run in reversed(runs):
        after.append(needed)
        reader = read(run) if read is not None else None
        if _run_needs_lists(run, reader):
            cmds = commands(run.reading.rest) if not run.reading.json else None
            if not (cmds and _gets_update(tree, run, cmds, needed)):
                needed = True
    return after[::-1]


_NAMES_APT = re.compile(r"\bapt(?:-get|-cache|itude)?\b|\.sh\b")
_SHELLS = re.compile(r"\s*(?:\S*/)?(?:ba|da|a)?sh\b")


def _run_needs_lists(run: Instruction, read: Reader | None = None) -> bool:
    """Whether a RUN uses the lists an earlier one left (`_needs_lists`), or
    may: what dockfix cannot read counts where it names apt or a `.sh` script
    (an exec-form RUN, a script with unbalanced quotes); a heredoc is read as
    the script the shell runs (`Instruction.script_heredoc`, `sh <<EOF`, a
    `#!` shell script), else by those names (`python3 <<EOF`, `cat <<EOF >
    file`)."""
    if run.reading.json:
        return bool(_NAMES_APT.search(" ".join(run.reading.args)))
    if not run.heredocs:
        cmds = commands(run.reading.rest)
        if cmds is None:
            return bool(_NAMES_APT.search(run.reading.rest))
        return _needs_lists(cmds, read)
    script = run.script_heredoc
    if script is not None:
        return _script_needs_lists(script.content, read, 0)
    if _NAMES_APT.search(run.reading.rest):
        return True
    # `RUN <<EOF` itself (a body BuildKit runs with the shell), `sh <<EOF`.
    by_shell = bool(_SHELLS.match(run.reading.rest)) or run.reading.rest.lstrip().startswith("<<")
    return any(
        _script_needs_lists(h.content, read, 0)
        if by_shell or h.content.startswith("#!")
        else bool(_NAMES_APT.search(h.content))
        for h in run.heredocs
    )


def _cleaned(cmds: Sequence[Command], calls: Sequence[AptCall]) -> bool:
    """Whether the RUN removes the package lists itself."""
    return any(
        c.name == "rm" and any(a.startswith("/var/lib/apt/lists") for a in c.args) for c in cmds
    ) or any(c.subcommand == "dist-clean" for c in calls)  # apt 2.7+: clean and the lists


def _removable(run: Instruction, cmds: Sequence[Command], lists_needed_later: bool) -> bool:
    """Whether `&& rm -rf /var/lib/apt/lists/*` may end the RUN (`; rm -rf …`
    after a last `;` in a script that stops at its first failure, which
    runs it exactly when `&&` would: `packages.errexit_tail`)."""
    if lists_needed_later or has_comment(run.reading.rest):
        return False
    last = cmds[-1].after
    return last == "" or (last == ";" and _final_semicolon(run.reading.rest) is not None)


def _final_semicolon(script: str) -> int | None:
    """Where the `;` that ends `script` stands, when it ends the top-level list
    (not a `case` branch's `;;`), else None."""
    text = script.rstrip()
    if not text.endswith(";") or text.endswith(";;") or not top_level(text, len(text) - 1):
        return None
    return len(text) - 1


def _rm_edit(tree: Dockerfile, run: Instruction) -> tuple[int, int, str]:
    """The edit that removes the lists at the end of the RUN: `&& rm -rf …`
    appended (`_rm_suffix`), or, where the script ends with `;` and does not
    stop at a failure (no `set -e`), put before that `;`: `a; b && rm -rf …;`
    fails exactly when `b` does, as the RUN did, where `a; b; rm -rf …` would
    hide a failure of `b`."""
    start, end = run.reading.rest_span.start, run.reading.rest_span.end
    at = _final_semicolon(run.reading.rest)
    if at is not None and not semicolon_style(run):
        return (start + at, start + at, f" && rm -rf {LISTS}")
    return (end, end, _rm_suffix(tree, run))


def _gets_update(
    tree: Dockerfile, run: Instruction, cmds: Sequence[Command], lists_needed_later: bool
) -> bool:
    """Whether this fix puts `apt-get update` in front of the first install of
    `run` (see `_check_install`) with nothing before it that reads the lists,
    so that the fixed RUN needs no lists from an earlier one."""
    if run.heredocs or not cmds or has_pragma_above(tree, run):
        return False
    calls = apt_calls(cmds)
    installs = [c for c in calls if c.subcommand == "install"]
    if not installs:
        return False
    first = installs[0].command
    if any(c.command.start < first.start for c in calls if c.subcommand in _READ_LISTS) or any(
        c.name == "apt-cache" and c.start < first.start for c in cmds
    ):
        return False
    if not (
        _cleaned(cmds, calls) or _lists_mounted(run) or _removable(run, cmds, lists_needed_later)
    ):
        return False
    return first.before in ("", "&&", ";", "\n") or _lone_update_before(tree, run) is not None


def _lone_update_before(tree: Dockerfile, run: Instruction) -> tuple[list[Node], str] | None:
    """A `RUN apt-get update` directly above `run` (comments between allowed):
    the nodes from it down to `run`, and its command text."""
    index = tree.index(run)
    j = index - 1
    while j >= 0 and isinstance(tree.items[j], (Comment, Blank)):
        j -= 1
    if j < 0:
        return None
    prev = tree.items[j]
    if not isinstance(prev, Instruction) or prev.keyword != "run" or prev.reading.json:
        return None
    if prev.reading.flags or prev.heredocs or has_pragma_above(tree, prev):
        # A suppression above the lone update would come to cover the install.
        return None
    cmds = commands(prev.reading.rest)
    if not cmds or len(cmds) != 1:
        return None
    calls = apt_calls(cmds)
    if len(calls) != 1 or calls[0].subcommand != "update":
        return None
    text = prev.reading.rest
    if calls[0].command.name == "apt":
        text = "apt-get" + text[len("apt") :]
    return list(tree.items[j : index + 1]), text


def _check_install(
    tree: Dockerfile,
    stage: Stage,
    run: Instruction,
    cmds: Sequence[Command],
    calls: list[AptCall],
    lists_needed_later: bool,
    added: set[int],
) -> Iterator[Finding]:
    base = run.reading.rest_span.start
    edits: list[tuple[int, int, str]] = []
    notes: list[str] = []
    installs = [c for c in calls if c.subcommand == "install"]
    edits, notes = _apt_get(base, calls)
    for call in installs:
        if not _answers_yes(call):
            sub = call.command.words[call.sub_index]
            edits.append((base + sub.end, base + sub.end, " -y"))
            notes.append("add -y")
    first_install = installs[0].command
    updated_before = any(c.updates and c.command.start <= first_install.start for c in calls)
    cleaned = _cleaned(cmds, calls)
    # The lists removed at the end of this RUN (now or by this fix), or kept
    # in a cache mount: only then may an update come in (left in the layer,
    # its lists would be a new DL3009 finding and megabytes in the image).
    removable = _removable(run, cmds, lists_needed_later)
    clean_after = cleaned or _lists_mounted(run) or removable
    old: list[Node] = [run]
    new_prefix: list[Node] = []
    if not updated_before and clean_after:
        lone = _lone_update_before(tree, run)
        if lone is not None:
            nodes, update_text = lone
            old = nodes
            new_prefix = list(nodes[1:-1])  # the comments and blank lines between stay
            before = tree.index(nodes[0]) - 1
            if before >= 0 and isinstance(tree.items[before], Blank):
                # A blank line above the update already separates: not two in a row.
                while new_prefix and isinstance(new_prefix[0], Blank):
                    new_prefix.pop(0)
            edits.append(
                (base + first_install.start, base + first_install.start, f"{update_text} && ")
            )
            notes.append("merge the lone `RUN apt-get update` into this RUN")
        elif first_install.before in ("", "&&", ";", "\n"):
            edits.append(
                (base + first_install.start, base + first_install.start, "apt-get update && ")
            )
            notes.append("run apt-get update in the same RUN")
    elif not updated_before:
        yield Finding(
            RULE,
            run,
            "apt-get install without apt-get update in the same RUN (not fixed: the lists "
            "it would download cannot be removed in this RUN, "
            + ("a later RUN reads them)" if lists_needed_later else "it does not end plainly)"),
        )
    if not cleaned and not _lists_mounted(run) and removable:
        edits.append(_rm_edit(tree, run))
        notes.append(f"remove {LISTS}")
    elif updated_before and not cleaned and not _lists_mounted(run):
        yield Finding(RULE, run, _lists_left(run, lists_needed_later))
    if edits:
        fixed = edit_many(run, _merge_inserts(edits))
        yield Finding(
            RULE,
            run,
            "apt-get install: " + "; ".join(dict.fromkeys(notes)),
            Fix(
                (Edit(tuple(old), (*new_prefix, fixed)),),
                Safety.SAFE,
                "Tidy apt-get",
                postcondition=POSTCONDITION,
            ),
        )
        return
    yield from _recommends(tree, ShellRun(stage, run, tuple(cmds)), installs, added)


def _lists_left(run: Instruction, lists_needed_later: bool) -> str:
    """The report on an install that updates the lists and keeps them (hadolint's DL3009)."""
    if lists_needed_later:
        why = "a later RUN, here or in a stage built on this one, or a script it runs, may use them"
    elif has_comment(run.reading.rest):
        why = "a comment line sits in the RUN"
    else:
        why = "the RUN does not end with a plain command"
    return f"apt-get install leaves the package lists in the image (not fixed: {why})"


def _merge_inserts(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join insertions at the same place, in the order they were made."""
    merged: dict[tuple[int, int], str] = {}
    for a, b, text in edits:
        merged[(a, b)] = merged.get((a, b), "") + text
    return [(a, b, text) for (a, b), text in merged.items()]


def _rm_suffix(tree: Dockerfile, run: Instruction) -> str:
    """`&& rm -rf …` in the layout of the RUN's own continuation lines (`; rm -rf
    …` in a `set -e` script that separates its commands with `;`, where errexit
    stops a failed last command as `&&` would: see `packages.append`)."""
    lines = run.lines
    if semicolon_style(run):
        return append(tree, run, f"rm -rf {LISTS}")[2]
    if len(lines) < 2:
        return f" && rm -rf {LISTS}"
    escape, nl = tree.escape, lines[0].ending or tree.newline
    leading = [line.content for line in lines[1:] if line.content.lstrip().startswith("&&")]
    # Indent like the lines that start a command, not like a package list.
    model = leading[-1] if leading else lines[-1].content
    indent = model[: len(model) - len(model.lstrip(" \t"))]
    if leading:
        return f" {escape}{nl}{indent}&& rm -rf {LISTS}"
    return f" && {escape}{nl}{indent}rm -rf {LISTS}"
