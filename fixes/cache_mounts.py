"""## What it does
With `cache-mounts = true` in the configuration (it is opt-in), gives each
`RUN` that installs packages a BuildKit cache mount for its package manager's
cache, and drops the cache removal that the mount makes pointless:

- `apt-get`/`apt`: `/var/cache/apt` (`sharing=locked`), and `apt-get clean`
  goes; `/var/lib/apt` too, with `rm -rf /var/lib/apt/lists/*` gone, only on
  a `RUN` that runs `apt-get update` itself and when no later `RUN` of the
  stage (or of a stage built `FROM` it) runs apt: the lists then live in
  the cache, which a later `RUN` without the mount, or a registry's layer
  cache, does not see;
- `apk`: `/var/cache/apk` (`sharing=locked`); `--no-cache` becomes `--update`
  and `rm -rf /var/cache/apk/*` goes;
- `dnf`/`microdnf`, `yum`, `zypper`: `/var/cache/dnf`, `/var/cache/yum`,
  `/var/cache/zypp` (`sharing=locked`); their `clean all` goes;
- `pip`: `/root/.cache/pip`, without `--no-cache-dir`;
- `uv`: `/root/.cache/uv`, without `--no-cache`, and `ENV UV_LINK_MODE=copy`
  (the cache is on another file system, so uv copies instead of linking);
- `poetry`: `/root/.cache/pypoetry`; `npm`: `/root/.npm`; `yarn` 1.x:
  `/usr/local/share/.cache/yarn` (without `yarn cache clean`); `pnpm`:
  `/root/.local/share/pnpm/store`;
- `go` in golang images: `/go/pkg/mod` and `/root/.cache/go-build`; `cargo`
  in rust images: `/usr/local/cargo/registry`; `mvn`: `/root/.m2/repository`;
  `gradle`: `/root/.gradle/caches`.

For apt, the stage first removes Debian's `docker-clean` hook (which would
delete downloaded packages from the cache), as Docker's documentation shows.

## Why is this bad?
Without a cache mount, every change to a package list downloads every
package again; cleaning the cache inside the `RUN` keeps the image small but
throws the download away. A cache mount keeps the downloads on the build
machine, outside the image: smaller images and fast rebuilds at once.

## Example
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```

Use instead:
```dockerfile
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
```

## Fix safety
Unsafe, and only with `cache-mounts = true`: cache mounts need BuildKit (the
legacy builder rejects `--mount`), the build graph changes, and for apt the
image loses the `docker-clean` hook, so later `apt-get install`s in images
built FROM it keep their downloads unless they clean up. The installed
packages are the same. Only `RUN`s provably run by root get mounts (the
targets are root's cache folders): a root `USER`, or none on an official
image known to run as root (not `jupyter/base-notebook`, which runs as
`jovyan`). A tool whose cache an `ENV` or `ARG` of the stage moves (`HOME`,
`XDG_CACHE_HOME`, `PIP_CACHE_DIR`, `UV_CACHE_DIR`, `CARGO_HOME`, …) gets no
mount: it would miss the cache, and the dropped `--no-cache-dir` would
leave the cache in the image. A `RUN` that already mounts a cache for a tool is
left alone for that tool, and so are heredoc and JSON-form `RUN`s. A removal
is made only where the command is joined by `&&` or `;` and no comment line
sits inside what is removed; otherwise the mount is still added and the
removal stays (harmless, only less effective). The post-condition checks
just that: each changed `RUN` step gained cache mounts of the folders above
(before its other flags) and lost only the flags that turn a cache off and
the removals listed (apk's `--no-cache` may become `--update`); the only new
step is the `RUN` that keeps apt's downloads; `UV_LINK_MODE` may only become
`copy` where nothing set it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dockfix.editing import drops_inner_lines, edit_many
from dockfix.packages import (
    ShellRun,
    cache_mount_with,
    first_word,
    program,
    shell_runs,
    user_is_root,
)
from dockfix.rewrites import RUN_COMMAND, RUN_FLAGS, Step, compare, step_added
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import BuildModel, model, without_env
from dockfix.shell import Command, edited_only
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile, Instruction, Node

RULE = Rule(
    code="DF061",
    name="cache-mounts",
    summary="Cache mounts for package managers (opt-in: cache-mounts = true)",
    safety=Safety.UNSAFE,
)
_LOCKED = ",sharing=locked"
_DOCKER_CLEAN = (
    "rm -f /etc/apt/apt.conf.d/docker-clean; "
    "echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' "
    "> /etc/apt/apt.conf.d/keep-cache"
)


@dataclass(frozen=True)
class Tool:
    """A package tool whose cache a cache mount keeps between builds."""

    name: str
    targets: tuple[str, ...]  # cache folders; each may end in ,sharing=locked
    subcommands: frozenset[str] | None  # None: any use of the program
    no_cache_flags: tuple[str, ...] = ()  # flags that turn the cache off
    image: str | None = None  # only in stages built from this image family


_INSTALLS = frozenset({"install", "update", "upgrade", "dist-upgrade", "build-dep", "add"})
_TOOLS = {
    "apt-get": Tool("apt", ("/var/cache/apt" + _LOCKED, "/var/lib/apt" + _LOCKED), _INSTALLS),
    "apt": Tool("apt", ("/var/cache/apt" + _LOCKED, "/var/lib/apt" + _LOCKED), _INSTALLS),
    "apk": Tool("apk", ("/var/cache/apk" + _LOCKED,), frozenset({"add", "upgrade"})),
    "dnf": Tool("dnf", ("/var/cache/dnf" + _LOCKED,), _INSTALLS),
    "microdnf": Tool("dnf", ("/var/cache/dnf" + _LOCKED,), _INSTALLS),
    "yum": Tool("yum", ("/var/cache/yum" + _LOCKED,), _INSTALLS),
    "zypper": Tool("zypper", ("/var/cache/zypp" + _LOCKED,), frozenset({"install", "in"})),
    "pip": Tool("pip", ("/root/.cache/pip",), frozenset({"install"}), ("--no-cache-dir",)),
    "pip3": Tool("pip", ("/root/.cache/pip",), frozenset({"install"}), ("--no-cache-dir",)),
    "uv": Tool("uv", ("/root/.cache/uv",), frozenset({"sync", "pip", "tool"}), ("--no-cache",)),
    "poetry": Tool("poetry", ("/root/.cache/pypoetry",), frozenset({"install"})),
    "npm": Tool("npm", ("/root/.npm",), frozenset({"ci", "install", "i"})),
    "yarn": Tool("yarn", ("/usr/local/share/.cache/yarn",), None),
    "pnpm": Tool("pnpm", ("/root/.local/share/pnpm/store",), frozenset({"install", "i"})),
    "go": Tool(
        "go",
        ("/go/pkg/mod", "/root/.cache/go-build"),
        frozenset({"build", "install", "test", "mod", "get", "generate", "vet"}),
        image="golang",
    ),
    "cargo": Tool(
        "cargo",
        ("/usr/local/cargo/registry",),
        frozenset({"build", "install", "fetch", "test"}),
        image="rust",
    ),
    "mvn": Tool("maven", ("/root/.m2/repository",), None),
    "gradle": Tool("gradle", ("/root/.gradle/caches",), None),
}
# Commands that empty a tool's cache: pointless (and harmful) with a cache mount.
_CLEANUPS = {
    "apt": ("rm -rf /var/lib/apt/lists/*", "apt-get clean", "apt clean"),
    "apk": ("rm -rf /var/cache/apk/*",),
    "dnf": ("dnf clean all", "microdnf clean all", "rm -rf /var/cache/dnf"),
    "yum": ("yum clean all", "rm -rf /var/cache/yum"),
    "zypper": ("zypper clean", "zypper clean -a", "zypper clean --all"),
    "yarn": ("yarn cache clean",),
}


# --- what BuildKit must read in the output -------------------------------------------

_TARGETS = frozenset(t for tool in _TOOLS.values() for t in tool.targets)
_NO_CACHE_FLAGS = frozenset(f for tool in _TOOLS.values() for f in tool.no_cache_flags) | {
    "--no-cache"  # apk's, which becomes --update
}
_CLEANUP_WORDS = frozenset(tuple(c.split()) for cs in _CLEANUPS.values() for c in cs)


def _removable(words: tuple[str, ...]) -> bool:
    """A piece the fix may take out of a script: a flag that turns a cache off,
    or a cache removal with the `&&` or `;` that joined it on one side."""
    if len(words) == 1:
        return words[0] in _NO_CACHE_FLAGS
    if words[0] in ("&&", ";") and words[1:] in _CLEANUP_WORDS:
        return True
    return words[-1] in ("&&", ";") and words[:-1] in _CLEANUP_WORDS


def _caches_only(old: str, new: str) -> str | None:
    return edited_only(old, new, insert=lambda words: words == ("--update",), delete=_removable)


def _mounted(old: Sequence[Step], i: int, new: Sequence[Step], j: int) -> tuple[int, int] | None:
    """A RUN step that gained cache mounts of the known targets before its
    other flags, and lost only cache removals from its script."""
    a = old[i] if i < len(old) else None
    b = new[j] if j < len(new) else None
    if a is None or b is None or a[0] != "run" or b[0] != "run":
        return None
    flags_a, flags_b = a[RUN_FLAGS], b[RUN_FLAGS]
    cmd_a, cmd_b = a[RUN_COMMAND], b[RUN_COMMAND]
    if not isinstance(flags_a, tuple) or not isinstance(flags_b, tuple):
        return None
    if not isinstance(cmd_a, tuple) or not isinstance(cmd_b, tuple) or not cmd_a:
        return None
    gained = len(flags_b) - len(flags_a)
    if gained < 1 or flags_b[gained:] != flags_a:
        return None
    for flag in flags_b[:gained]:
        if not (isinstance(flag, tuple) and flag[0] == "mount" and isinstance(flag[1], str)):
            return None
        kind, _, target = flag[1].partition(",target=")
        if kind != "type=cache" or target not in _TARGETS:
            return None
    if (
        b[RUN_COMMAND + 1 : RUN_FLAGS] != a[RUN_COMMAND + 1 : RUN_FLAGS]
        or b[RUN_FLAGS + 1 :] != a[RUN_FLAGS + 1 :]
    ):
        return None
    if len(cmd_a) != len(cmd_b) or cmd_a[:-1] != cmd_b[:-1]:
        return None
    if cmd_a != cmd_b and _caches_only(str(cmd_a[-1]), str(cmd_b[-1])) is not None:
        return None
    return (1, 1)


def _keeps_downloads(step: Step) -> str | None:
    command = step[RUN_COMMAND]
    if step[RUN_FLAGS] or not isinstance(command, tuple) or command[-1:] != (_DOCKER_CLEAN,):
        return "a RUN other than the removal of docker-clean was added"
    return None


def _link_mode_copied(old: BuildModel, new: BuildModel) -> str | None:
    """Where the image's UV_LINK_MODE changed, it was unset and is `copy` now."""
    for k, (a, b) in enumerate(zip(old.stages, new.stages, strict=False), start=1):
        was, now = _env(a.config.get("env")), _env(b.config.get("env"))
        if was.get("UV_LINK_MODE") != now.get("UV_LINK_MODE") and (
            "UV_LINK_MODE" in was or now.get("UV_LINK_MODE") != "copy"
        ):
            return f"stage {k}: UV_LINK_MODE changed other than to copy where unset"
    return None


def _env(pairs: object) -> dict[object, object]:
    if not isinstance(pairs, tuple):
        return {}
    return {p[0]: p[1] for p in pairs if isinstance(p, tuple) and len(p) == 2}


def caches_mounted(before: Dockerfile, after: Dockerfile) -> str | None:
    """The post-condition: RUN steps gained cache mounts and lost only cache
    removals, a RUN removing docker-clean may come before them, and
    UV_LINK_MODE=copy may be set where nothing set it (the history follows)."""
    old, new = model(before), model(after)
    why = _link_mode_copied(old, new)
    if why is not None:
        return why
    old, new = without_env(old, ["UV_LINK_MODE"]), without_env(new, ["UV_LINK_MODE"])
    return compare(old, new, (_mounted, step_added("run", _keeps_downloads)), ("history",))


POSTCONDITION = caches_mounted


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    if not context.settings.cache_mounts:
        return
    all_stages = stages(tree)
    prepared: set[int] = set()  # stages given the docker-clean removal this round
    for shell_run in shell_runs(tree):
        if not _root(tree, shell_run):
            continue
        tools = _tools_needing_mounts(all_stages, shell_run)
        if not tools:
            continue
        yield _finding(tree, all_stages, shell_run, tools, prepared)


def _image(all_stages: list[Stage], stage: Stage) -> str:
    base = ancestry(all_stages, stage)[-1].image.lower()
    name = base.split("@", 1)[0].rsplit("/", 1)[-1]
    return name.split(":", 1)[0]


def _root(tree: Dockerfile, shell_run: ShellRun) -> bool:
    """Whether the RUN provably runs as root (the caches are under /root): a
    root USER, or none on an official image known to run as root
    (`jupyter/base-notebook` runs as `jovyan`)."""
    return user_is_root(tree, shell_run)


# Environment variables that move a tool's cache away from the folder mounted.
_MOVED_BY = {
    "pip": ("HOME", "XDG_CACHE_HOME", "PIP_CACHE_DIR"),
    "uv": ("HOME", "XDG_CACHE_HOME", "UV_CACHE_DIR"),
    "poetry": ("HOME", "XDG_CACHE_HOME", "POETRY_CACHE_DIR"),
    "npm": ("HOME", "npm_config_cache", "NPM_CONFIG_CACHE"),
    "yarn": ("YARN_CACHE_FOLDER",),
    "pnpm": ("HOME", "PNPM_HOME", "PNPM_STORE_DIR", "npm_config_store_dir"),
    "go": ("GOPATH", "GOMODCACHE", "GOCACHE", "HOME"),
    "cargo": ("CARGO_HOME",),
    "maven": ("HOME", "MAVEN_OPTS", "MAVEN_CONFIG"),
    "gradle": ("HOME", "GRADLE_USER_HOME"),
}
_MOVED = {
    tool: re.compile(r"(?:^|\s)(?:" + "|".join(names) + r")(?:=|\s|$)")
    for tool, names in _MOVED_BY.items()
}


def _cache_moved(all_stages: list[Stage], shell_run: ShellRun, tool: Tool) -> bool:
    """Whether an ENV or ARG of the stage's chain names a variable that moves
    the tool's cache (`ENV HOME=/app`, `PIP_CACHE_DIR`): the mount would miss it."""
    pattern = _MOVED.get(tool.name)
    if pattern is None:
        return False
    return any(
        node.keyword in ("env", "arg") and pattern.search(node.reading.rest)
        for stage in ancestry(all_stages, shell_run.stage)
        for node in stage.instructions
    )


def _tools_needing_mounts(all_stages: list[Stage], shell_run: ShellRun) -> list[Tool]:
    tools: list[Tool] = []
    for cmd in shell_run.commands:
        tool = _TOOLS.get(program(cmd))
        if tool is None or tool in tools:
            continue
        if tool.subcommands is not None and first_word(cmd, tool.subcommands) is None:
            continue
        if tool.image is not None and _image(all_stages, shell_run.stage) != tool.image:
            continue
        if any(cache_mount_with(shell_run.run, t.split(",", 1)[0]) for t in tool.targets):
            continue
        if _cache_moved(all_stages, shell_run, tool):
            continue
        tools.append(tool)
    return tools


def _finding(
    tree: Dockerfile,
    all_stages: list[Stage],
    shell_run: ShellRun,
    tools: list[Tool],
    prepared: set[int],
) -> Finding:
    run = shell_run.run
    lists = _lists_in_cache(all_stages, shell_run)
    mounts = " ".join(
        f"--mount=type=cache,target={t}"
        for tool in tools
        for t in tool.targets
        if lists or not t.startswith(_APT_LISTS)
    )
    # The mounts go right after the keyword, before any other flag.
    at = len(run.keyword_as_written) + (len(run.logical.text) - len(run.logical.text.lstrip()))
    edits: list[tuple[int, int, str]] = [(at, at, f" {mounts}")]
    names = {tool.name for tool in tools}
    edits += _removals(shell_run, names, keep=() if lists else (_LISTS_REMOVAL,))
    fixed = edit_many(run, edits)
    new: list[Node] = []
    stage_key = id(shell_run.stage.from_)
    if (
        "apt" in names
        and stage_key not in prepared
        and not _has_docker_clean(all_stages, shell_run)
    ):
        new.append(_built(tree, "RUN", _DOCKER_CLEAN))
        prepared.add(stage_key)
    if "uv" in names and not _sets_link_mode(all_stages, shell_run):
        new.append(_built(tree, "ENV", "UV_LINK_MODE=copy"))
    what = ", ".join(sorted(names))
    return Finding(
        RULE,
        run,
        f"{what} downloads again on every rebuild: use a cache mount",
        Fix(
            (Edit((run,), (*new, fixed)),),
            Safety.UNSAFE,
            "Add cache mounts",
            postcondition=POSTCONDITION,
        ),
    )


def _built(tree: Dockerfile, keyword: str, rest: str) -> Instruction:
    return tree.style.instruction(keyword, rest)


def _has_docker_clean(all_stages: list[Stage], shell_run: ShellRun) -> bool:
    """Whether a RUN before this one (in the stage or those it is built FROM)
    already removes the docker-clean hook."""
    for link in ancestry(all_stages, shell_run.stage):
        for node in link.instructions:
            if node is shell_run.run:
                break
            if node.keyword == "run" and "docker-clean" in node.reading.rest:
                return True
    return False


def _sets_link_mode(all_stages: list[Stage], shell_run: ShellRun) -> bool:
    return (
        any(
            pair.key == "UV_LINK_MODE"
            for link in ancestry(all_stages, shell_run.stage)
            for node in link.instructions
            if node.keyword == "env"
            for pair in node.reading.pairs
        )
        or "UV_LINK_MODE" in shell_run.run.reading.rest
    )


# --- removing what the mount makes pointless ---------------------------------------


_APT_LISTS = "/var/lib/apt"
_LISTS_REMOVAL = "rm -rf /var/lib/apt/lists/*"


def _lists_in_cache(all_stages: list[Stage], shell_run: ShellRun) -> bool:
    """Whether apt's lists may live in a cache mount for this RUN: it runs
    `apt-get update` itself (an update in a RUN of its own would leave them
    to a cache that a registry's layer cache does not carry), and no later
    RUN of the stage, or of a stage built FROM it, runs apt (it would find no
    lists in the image)."""
    updates = any(
        program(c) in ("apt-get", "apt") and first_word(c, frozenset({"update"})) is not None
        for c in shell_run.commands
    )
    if not updates:
        return False
    stage = shell_run.stage
    later = list(stage.instructions[stage.instructions.index(shell_run.run) + 1 :])
    for other in all_stages[stage.index + 1 :]:
        if other.from_ is not None and stage in ancestry(all_stages, other)[1:]:
            later.extend(other.instructions)
    return not any(n.keyword == "run" and _APT_WORD.search(_all_text(n)) for n in later)


_APT_WORD = re.compile(r"\bapt(?:-get)?\b")


def _all_text(run: Instruction) -> str:
    """A RUN's command and heredoc bodies, one per line."""
    return "\n".join([run.reading.rest, *(h.content for h in run.heredocs)])


def _removals(
    shell_run: ShellRun, names: set[str], keep: tuple[str, ...] = ()
) -> list[tuple[int, int, str]]:
    base = shell_run.base
    cmds = shell_run.commands
    edits: list[tuple[int, int, str]] = []
    removed: set[int] = set()
    for i, cmd in enumerate(cmds):
        tool = _TOOLS.get(program(cmd))
        if tool is not None and tool.name in names:
            edits += _flag_edits(shell_run, cmd, tool)
        text = " ".join([cmd.name, *cmd.args])
        if text not in keep and any(text == c for name in names for c in _CLEANUPS.get(name, ())):
            span = _command_span(shell_run.script, cmds, i, removed)
            if span is not None and not drops_inner_lines(
                shell_run.run, base + span[0], base + span[1]
            ):
                edits.append((base + span[0], base + span[1], ""))
                removed.add(i)
    return edits


def _flag_edits(shell_run: ShellRun, cmd: Command, tool: Tool) -> list[tuple[int, int, str]]:
    base, edits = shell_run.base, []
    for n, word in enumerate(cmd.words[1:], start=1):
        if word.value in tool.no_cache_flags:
            prev = cmd.words[n - 1]
            edits.append((base + prev.end, base + word.end, ""))
        elif tool.name == "apk" and word.value == "--no-cache":
            edits.append((base + word.start, base + word.end, "--update"))
    return edits


def _command_span(
    script: str, cmds: Sequence[Command], i: int, removed: set[int]
) -> tuple[int, int] | None:
    """The text to delete to drop command `i` with one of its separators:
    only a plain `&&` or `;` between it and its neighbour, not the end of a
    subshell or group (`(a ||:) && zypper clean`) that would go with it."""
    cmd = cmds[i]
    if len(cmds) == 1:
        return None  # the whole RUN: leave it
    if i > 0 and cmd.before in ("&&", ";") and (i - 1) not in removed:
        start = cmds[i - 1].end
        if _separator_only(script[start : cmd.start]):
            return start, cmd.end
    if i + 1 < len(cmds) and cmd.after in ("&&", ";"):
        end = cmds[i + 1].start
        if _separator_only(script[cmd.end : end]):
            return cmd.start, end
    return None


def _separator_only(text: str) -> bool:
    """Whether `text` is one `&&` or `;` with blanks and line continuations."""
    return text.replace("\\\n", " ").replace("\\\r\n", " ").strip() in ("&&", ";")
