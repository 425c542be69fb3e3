"""What the package-manager fixes share: reading commands as hadolint does,
the RUNs a cache removal could affect, what is known of a stage's base image,
and appending a command in the layout of the RUN.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from dockfix.editing import edit_code, edit_many
from dockfix.images import LINUXSERVER_ALPINE, LINUXSERVER_UBUNTU, is_windows
from dockfix.shell import OPERATORS, RESERVED, Command, Word, commands, has_comment, tokens
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile, Instruction


def program(cmd: Command) -> str:
    """The command's program without its folder (`/usr/bin/yum` -> `yum`)."""
    return cmd.name.rsplit("/", 1)[-1]


def script_path(cmd: Command) -> str | None:
    """The path of the script the command runs, as it names it
    (`./install.sh`, `sh setup.sh`, `/usr/local/bin/build`); None when it
    runs none, or one PATH finds (`setup.sh`: see `runs_script`)."""
    name = program(cmd)
    if name in ("sh", "ash", "bash", "dash", "busybox") and cmd.args:
        first = cmd.args[0]
        return first if not first.startswith("-") and first not in ("sh", "ash") else None
    if name in _BUILD_WRAPPERS or name in _TOOLS or _PYTHON.fullmatch(name):
        return None
    if "/" in cmd.name and not cmd.name.startswith(("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")):
        return cmd.name
    return None


def runs_script(cmd: Command) -> bool:
    """Whether the command runs a script dockfix does not read (`./install.sh`,
    `sh setup.sh`, `/usr/local/bin/build`, `setup.sh` found in PATH), which
    may run a package manager itself (`apk add`, `apt-get install` from the
    lists already there)."""
    return script_path(cmd) is not None or program(cmd).endswith(".sh")


# The Gradle and Maven wrappers, which download their build tool and never
# install system packages (not `configure`: a project's own may be any script).
_BUILD_WRAPPERS = frozenset({"gradlew", "mvnw"})
# Interpreters and language package managers named by their path
# (`/opt/conda/bin/conda clean -ya`, `/venv/bin/pip install …`): programs
# dockfix knows, read as it reads them without a folder, not a project's script.
_TOOLS = frozenset(
    {
        *("conda", "mamba", "micromamba", "pip", "pip3", "uv", "poetry", "pipenv"),
        *("node", "npm", "npx", "yarn", "pnpm", "corepack", "bun", "deno"),
        *("java", "go", "cargo", "rustup", "gem", "bundle", "composer", "php", "dotnet"),
        *("mvn", "gradle", "luarocks", "lua", "luajit", "perl", "cpanm", "ruby", "Rscript"),
    }
)
_PYTHON = re.compile(r"python(?:3(?:\.\d+)?)?")


def flag_names(cmd: Command) -> set[str]:
    """The flags of a command as hadolint reads them: `--name[=value]` gives
    `name`, `-abc` gives `a`, `b` and `c`, wherever they stand."""
    names: set[str] = set()
    for value in cmd.args:
        if value in ("-", "--"):
            continue
        if value.startswith("--"):
            names.add(value[2:].split("=", 1)[0])
        elif value.startswith("-"):
            names.update(value[1:])
    return names


def has_flag(cmd: Command, *names: str) -> bool:
    return bool(flag_names(cmd) & set(names))


def first_word(cmd: Command, values: Iterable[str]) -> Word | None:
    """The first argument word whose value is one of `values` (a subcommand)."""
    wanted = set(values)
    return next((w for w in cmd.words[1:] if w.value in wanted), None)


def posix_shell(all_stages: Sequence[Stage], stage: Stage) -> bool:
    """Whether the stage's RUNs run in a POSIX shell (a SHELL of the sh family,
    or none on an image that is not Windows), looking through the stages it is
    built FROM."""
    chain = ancestry(list(all_stages), stage)
    for link in chain:
        shell = link.shell
        if shell is not None:
            return shell[0].rsplit("/", 1)[-1] in ("sh", "bash", "dash", "ash", "zsh")
    # Windows images run RUN in cmd.exe by default (PowerShell where they set it).
    return not is_windows(chain[-1].image)


@dataclass(frozen=True)
class ShellRun:
    """A RUN whose shell script dockfix can read, and the commands in it: a
    shell-form RUN without heredocs, or (`heredoc`) a `RUN <<EOF` whose one
    heredoc BuildKit runs as the script (`Instruction.script_heredoc`).

    Edits of the script are (start, end, text) at `base` + offsets in
    `script`: in the RUN's logical line for the shell form, in its code for
    a heredoc; `edited` applies them either way."""

    stage: Stage
    run: Instruction
    commands: tuple[Command, ...]
    heredoc: bool = False

    @property
    def script(self) -> str:
        """The text the shell runs."""
        script = self.run.script_heredoc if self.heredoc else None
        return script.content if script is not None else self.run.reading.rest

    @property
    def base(self) -> int:
        """Where the script starts: in the RUN's logical line, or in its code."""
        return self.run.script_offset if self.heredoc else self.run.reading.rest_span.start

    def after_word(self, word: Word, text: str) -> tuple[int, int, str]:
        """An edit inserting ` text` right after `word`."""
        at = self.base + word.end
        return (at, at, f" {text}")

    def edited(self, edits: list[tuple[int, int, str]]) -> Instruction:
        """The RUN with `edits` (made with `base`) applied, parsed again."""
        return (edit_code if self.heredoc else edit_many)(self.run, edits)


_ENDS = ("", ";", "\n")


def _compound(found: tuple[str, ...]) -> bool:
    """Whether the words and operators `found` hold a compound command or a
    subshell: a reserved word where a command starts, or a parenthesis."""
    starts = True
    for token in found:
        if token in ("(", ")") or (starts and token in RESERVED):
            return True
        starts = token in OPERATORS
    return False


def failure_fails_run(shell_run: ShellRun, cmd: Command) -> bool:
    """Whether `cmd` failing fails the RUN, so that a build which passed ran it
    without failing: it and every command after it are joined by `&&` to the
    end of the script, or the script turns errexit on first (`set -e`, never
    undone) and `cmd` ends its top-level list. Scripts with compound commands
    or subshells are not read (False)."""
    script = shell_run.script
    found = tokens(script)
    if found is None or _compound(found):
        return False
    cmds = shell_run.commands
    i = next(k for k, c in enumerate(cmds) if c is cmd)
    if cmd.before in ("|", "||", "&"):
        return False
    rest = cmds[i:]
    if all(c.after == "&&" for c in rest[:-1]) and script[rest[-1].end :].strip() in ("", ";"):
        return True
    return _errexit_throughout(script, cmds) and cmd.after in _ENDS


def heredoc_append(shell_run: ShellRun, command: str) -> tuple[int, int, str] | None:
    """An edit (see `ShellRun.edited`) that runs `command` at the end of a
    heredoc script only when the script would have ended without failing, so
    that it exits as before (`command` itself must not fail): a line of its
    own after a script that turns errexit on first and ends with a plain
    command of its top-level list (`_line_after_errexit`), else `&& command`
    right after the last command. None where the script does not end with a
    command (a comment, `&`, a compound command or subshell)."""
    script = shell_run.script
    cmds = shell_run.commands
    if not _ends_with_command(script, cmds):
        return None
    last = cmds[-1]
    if _line_after_errexit(script, cmds):
        line_start = script.rfind("\n", 0, last.start) + 1
        end = shell_run.base + len(script)
        return (end, end, f"{_indent(script[line_start:])}{command}\n")
    at = shell_run.base + last.end
    return (at, at, f" && {command}")


def cleanup_edit(
    tree: Dockerfile, shell_run: ShellRun, command: str
) -> tuple[int, int, str] | None:
    """An edit (see `ShellRun.edited`) that runs a clean-up `command` at the
    end of the RUN's script: `append` where the shell form ends with its last
    command (`appendable`), `heredoc_append` in a heredoc's script; None where
    neither can."""
    if shell_run.heredoc:
        return heredoc_append(shell_run, command)
    return append(tree, shell_run.run, command) if appendable(shell_run) else None


def _ends_with_command(script: str, cmds: Sequence[Command]) -> bool:
    """Whether a heredoc script ends with its last simple command (then a
    line break): no comment, `&` or closing word after it, no compound
    command or subshell anywhere."""
    found = tokens(script)
    if found is None or _compound(found) or not cmds or not script.endswith("\n"):
        return False
    last = cmds[-1]
    return last.after in ("", "\n") and not script[last.end :].strip()


def _line_after_errexit(script: str, cmds: Sequence[Command]) -> bool:
    """Whether a line added after the script runs exactly when `&& command`
    after its last command would: errexit is on throughout, and the last
    command stands alone after a line break or `;` (not in an `&&`/`||`
    list, negated, or after an assignment), so its failure ends the script."""
    last = cmds[-1]
    head = script[: last.start].rstrip(" \t")
    return (
        _errexit_throughout(script, cmds)
        and len(cmds) > 1
        and last.before in (";", "\n")
        and head.endswith((";", "\n"))
    )


def shell_runs(tree: Dockerfile, heredocs: bool = False) -> Iterator[ShellRun]:
    """Every RUN in a POSIX-shell stage whose commands dockfix can read; with
    `heredocs`, the `RUN <<EOF` scripts too (for fixes whose edits go through
    `ShellRun.edited` and whose reasoning holds for a script run without
    `&&` between its lines)."""
    all_stages = stages(tree)
    for stage in all_stages:
        if stage.from_ is None or not posix_shell(all_stages, stage):
            continue
        for run in stage.instructions:
            if run.keyword != "run" or run.reading.json:
                continue
            if run.heredocs:
                script = run.script_heredoc if heredocs else None
                cmds = commands(script.content) if script is not None else None
                if cmds:
                    yield ShellRun(stage, run, cmds, heredoc=True)
                continue
            cmds = commands(run.reading.rest)
            if cmds:
                yield ShellRun(stage, run, cmds)


def run_commands(run: Instruction) -> tuple[Command, ...] | None:
    """The commands of a shell-form RUN, or of the script of a `RUN <<EOF`
    (`Instruction.script_heredoc`); None for an exec-form RUN, another
    heredoc, or commands dockfix cannot read."""
    if run.reading.json:
        return None
    if run.heredocs:
        script = run.script_heredoc
        return commands(script.content) if script is not None else None
    return commands(run.reading.rest)


def without_network(run: Instruction) -> bool:
    """Whether the RUN has no network (`--network=none`)."""
    return any(f.name == "network" and f.value == "none" for f in run.reading.flags)


def later_runs(tree: Dockerfile, stage: Stage, run: Instruction) -> list[Instruction]:
    """The RUNs that see what `run` leaves in the file system: the later RUNs
    of its stage, every RUN of the stages built FROM it, and the `ONBUILD RUN`
    triggers of all those stages (wherever they stand: they run in the images
    built FROM them)."""
    all_stages = stages(tree)
    own = list(stage.instructions)
    after = own[next(i for i, node in enumerate(own) if node is run) + 1 :]
    inheriting = [
        other for other in all_stages[stage.index + 1 :] if stage in ancestry(all_stages, other)[1:]
    ]
    found = [
        node
        for node in [*after, *(n for other in inheriting for n in other.instructions)]
        if node.keyword == "run"
    ]
    return found + onbuild_runs((stage, *inheriting))


def onbuild_runs(chosen: Iterable[Stage]) -> list[Instruction]:
    """The `ONBUILD RUN` triggers of these stages, as RUNs of their own: they
    run in the images built FROM them, after everything the stages did."""
    found = []
    for node in (n for s in chosen for n in s.instructions):
        if node.keyword == "onbuild":
            trigger = _trigger_run(node)
            if trigger is not None:
                found.append(trigger)
    return found


def _trigger_run(onbuild: Instruction) -> Instruction | None:
    """The RUN an `ONBUILD RUN …` triggers, as an instruction of its own; None
    for another trigger. A trigger that cannot be read alone is an exec-form
    RUN of its whole text (read as one that may use anything)."""
    child = onbuild.reading.child
    if child is None or child.keyword != "run":
        return None
    from dockfix.parser import parse_instruction

    text = onbuild.reading.rest
    try:
        return parse_instruction(text + "\n", onbuild.escape)
    except Exception:  # any failure: read it as opaque
        return parse_instruction(f"RUN {json.dumps([text])}\n")


def user_before(tree: Dockerfile, shell_run: ShellRun) -> str | None:
    """The argument of the last USER before the RUN, in its stage or the stages
    it is built FROM; None when there is none (the base image's user)."""
    user: str | None = None
    for stage in reversed(ancestry(stages(tree), shell_run.stage)):
        for node in stage.instructions:
            if node is shell_run.run:
                break
            if node.keyword == "user" and node.reading.args:
                user = node.reading.args[0]
    return user


def mounts(run: Instruction) -> list[dict[str, str]]:
    """The `--mount` options of a RUN, with `type` defaulted and `target` named."""
    found = []
    for flag in run.reading.flags:
        if flag.name != "mount" or not flag.value:
            continue
        options = dict(item.partition("=")[::2] for item in flag.value.split(","))
        options.setdefault("type", "bind")
        options["target"] = (
            options.get("target") or options.get("dst") or options.get("destination") or ""
        )
        found.append(options)
    return found


def cache_mount_with(run: Instruction, fragment: str) -> bool:
    """hadolint's test: a cache or tmpfs mount whose target contains `fragment`."""
    return any(m["type"] in ("cache", "tmpfs") and fragment in m["target"] for m in mounts(run))


def appendable(shell_run: ShellRun) -> bool:
    """Whether a command can go at the end of the RUN: it ends with a complete
    command (not with `&`, an operator or a comment), or with `;` in a script
    that stops at the first failure (`errexit_tail`)."""
    script = shell_run.run.reading.rest
    words = tokens(script)
    if not words or has_comment(script):
        return False
    if words[-1] == ";":
        return errexit_tail(script)
    return words[-1] not in OPERATORS and words[-1] not in _OPENING


_SET_E = re.compile(r"-[A-Za-z]*e[A-Za-z]*")
_SET_NO_E = re.compile(r"\+[A-Za-z]*e[A-Za-z]*")


def errexit_tail(script: str) -> bool:
    """Whether `; command` after `script` runs exactly when `&& command` would:
    the script turns errexit on first (`set -e`, `set -eux`, `set -o errexit`)
    and never off, and it ends (but for a `;`) with a simple command of the
    top-level list that is not in an `&&`/`||` list, negated or in a pipeline,
    so errexit stops the script when that command fails."""
    cmds = commands(script)
    if not cmds or not _errexit_throughout(script, cmds):
        return False
    last = cmds[-1]
    if len(cmds) < 2 or last.before not in (";", "\n") or last.after not in ("", ";"):
        return False
    # Nothing but the operator before it (no `!`, assignment or reserved word)
    # and nothing but a `;` after it (no `fi`, `done`, `}` or `)` closing it).
    head = script[: last.start].rstrip(" \t")
    return head.endswith((";", "\n")) and script[last.end :].strip() in ("", ";")


def _errexit_throughout(script: str, cmds: Sequence[Command]) -> bool:
    """Whether `script` (its commands `cmds`) turns errexit on first (`set -e`,
    `set -eux`, `set -o errexit`) and never off."""
    if not cmds or cmds[0].name != "set" or script[: cmds[0].start].strip():
        return False
    args = cmds[0].args
    if not any(_SET_E.fullmatch(a) for a in args) and not any(
        a == "-o" and b == "errexit" for a, b in pairwise(args)
    ):
        return False
    return not any(
        cmd.name == "set"
        and (
            any(_SET_NO_E.fullmatch(a) for a in cmd.args)
            or any(a == "+o" and b == "errexit" for a, b in pairwise(cmd.args))
        )
        for cmd in cmds[1:]
    )


# Reserved words after which a command list is not complete.
_OPENING = frozenset(
    {"if", "then", "else", "elif", "do", "while", "until", "for", "case", "in", "!", "{"}
)


def appended_piece(old: str, piece: tuple[str, ...], command: tuple[str, ...]) -> bool:
    """Whether `piece` (words a post-condition found inserted) is `command` as
    `append` or `heredoc_append` adds it to the script `old`: after `&&`,
    after `;` where `old` stops at its first failure (`errexit_tail`), or on
    a line of its own where `heredoc_append` puts it there."""
    if piece == ("&&", *command):
        return True
    if piece in ((*command, "\n"), ("\n", *command)):  # a heredoc's line (`heredoc_append`)
        cmds = commands(old) or ()
        return _ends_with_command(old, cmds) and _line_after_errexit(old, cmds)
    return piece == (";", *command) and errexit_tail(old)


def semicolon_style(run: Instruction) -> bool:
    """Whether a command appended to the RUN goes after `;`: its script
    separates commands with `;` (at line ends, at its end, or on its one line)
    under `set -e`, where errexit stops a failed last command as `&&` would
    (`errexit_tail`)."""
    script, lines = run.reading.rest, run.lines
    return errexit_tail(script) and (
        script.rstrip().endswith(";")
        or any(prev.body.rstrip().endswith(";") for prev in lines[:-1])
        or (len(lines) < 2 and ";" in script)
    )


def append(tree: Dockerfile, run: Instruction, command: str) -> tuple[int, int, str]:
    """An edit appending `&& command` to the RUN in its own layout: on the same
    line for a one-line RUN, else on a line of its own, placed and indented
    like the RUN's lines that start a command (`&& cmd`, or after `cmd && \\`
    or `cmd; \\`), or
    as the file continues commands when the RUN shows neither. A script that
    separates its commands with `;` under `set -e` (`errexit_tail`) gets
    `; command` (`command;` after a final `;`), which runs just as `&&` would."""
    end = run.reading.rest_span.end
    lines = run.lines
    ends_with_semicolon = run.reading.rest.rstrip().endswith(";")
    semicolons = semicolon_style(run)
    if len(lines) < 2:
        if semicolons:
            return (end, end, f" {command};" if ends_with_semicolon else f"; {command}")
        return (end, end, f" && {command}")
    style = tree.style
    escape, nl = tree.escape, lines[0].ending or tree.newline
    if semicolons:
        # Indented like the lines that start a command (after `cmd; \`), not
        # like an argument list that may end the RUN.
        starts = [
            line.content
            for prev, line in pairwise(lines)
            if prev.body.rstrip().endswith(_SEP) and line.content.strip()
        ]
        indent = _indent(starts[-1] if starts else lines[-1].content)
        if ends_with_semicolon:
            return (end, end, f" {escape}{nl}{indent}{command};")
        return (end, end, f"; {escape}{nl}{indent}{command}")
    leading = [line.content for line in lines[1:] if line.content.lstrip().startswith(_SEP)]
    trailing = [line.content for prev, line in pairwise(lines) if prev.body.rstrip().endswith(_SEP)]
    if leading:
        and_first, indent = True, _indent(leading[-1])
    elif trailing:
        and_first, indent = False, _indent(trailing[-1])
    else:
        and_first, indent = style.and_first, style.continuation_indent(_indent(lines[0].content))
    if and_first:
        return (end, end, f" {escape}{nl}{indent}&& {command}")
    return (end, end, f" && {escape}{nl}{indent}{command}")


_SEP = ("&&", "||", ";", "|")


def _indent(text: str) -> str:
    return text[: len(text) - len(text.lstrip(" \t"))]


# --- what is known of a stage's base image -----------------------------------------

_DEBIAN_IMAGES = frozenset(
    {"debian", "ubuntu", "buildpack-deps", "python", "node", "golang", "ruby", "php", "perl"}
    | {"rust", "nginx", "httpd", "eclipse-temurin"}
)
_DEBIAN_TAGS = re.compile(
    r"(^|[-_.])(slim|bookworm|bullseye|buster|stretch|trixie|jessie|"
    r"xenial|bionic|focal|jammy|noble|oracular|plucky)($|[-_.])"
)
_ROOT_IMAGES = _DEBIAN_IMAGES | frozenset(
    {"alpine", "busybox", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux"}
    | {"archlinux", "opensuse/leap", "opensuse/tumbleweed", "oraclelinux", "photon"}
    | {"erlang", "elixir", "openjdk"}  # openjdk: no Linux variant ever set USER
    | LINUXSERVER_UBUNTU
    | LINUXSERVER_ALPINE
)


def external_base(tree: Dockerfile, stage: Stage) -> str | None:
    """The image the stage's chain of stages starts from, as written (None when
    it holds a variable or is `scratch`)."""
    chain = ancestry(stages(tree), stage)
    image = chain[-1].image
    if not image or "$" in image or image.lower() == "scratch":
        return None
    return image


_MIRRORS = (
    "docker.io/library/",
    "index.docker.io/library/",
    "registry-1.docker.io/library/",
    "docker.io/",
    "library/",
    "public.ecr.aws/docker/library/",
    "mirror.gcr.io/library/",
    "public.ecr.aws/",
)


def image_name_and_tag(image: str) -> tuple[str, str]:
    """`docker.io/library/python:3.12-slim@sha256:…` -> (`python`, `3.12-slim`)."""
    image = image.split("@", 1)[0].lower()
    name, tag = image, ""
    if ":" in image.rsplit("/", 1)[-1]:
        name, tag = image.rsplit(":", 1)
    for prefix in _MIRRORS:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    # Vendors' own copies of their official images (`public.ecr.aws/ubuntu/ubuntu`).
    first, _, rest = name.partition("/")
    if rest and first == rest and first in _ROOT_IMAGES:
        name = first
    return name, tag


def family(image: str | None) -> str | None:
    """ "debian" (Debian or Ubuntu userland), "alpine", or None (unknown)."""
    if image is None:
        return None
    name, tag = image_name_and_tag(image)
    if name == "alpine" or "alpine" in tag or name in LINUXSERVER_ALPINE:
        return "alpine"
    if name in ("debian", "ubuntu", "buildpack-deps") or name in LINUXSERVER_UBUNTU:
        return "debian"
    if _DEBIAN_TAGS.search(tag):
        return "debian"
    if name in _DEBIAN_IMAGES and (not tag or re.fullmatch(r"[0-9.]+|latest|lts|current", tag)):
        return "debian"
    return None


def official_root_image(image: str | None) -> bool:
    """Whether `image` is one of the official images known to run as root."""
    if image is None:
        return False
    return image_name_and_tag(image)[0] in _ROOT_IMAGES


_ROOT_USERS = frozenset({"root", "0"})


def user_is_root(tree: Dockerfile, shell_run: ShellRun) -> bool:
    """Whether the RUN provably runs as root: the last USER before it is root
    (and its group, if named, too), or there is none and the image is an
    official one known to run as root."""
    user = user_before(tree, shell_run)
    if user is None:
        return official_root_image(external_base(tree, shell_run.stage))
    name, _, group = user.partition(":")
    return name in _ROOT_USERS and (not group or group in _ROOT_USERS)
