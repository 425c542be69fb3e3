"""What BuildKit builds from a Dockerfile: a model of its build graph and image config.

Fixes state their post-conditions against this model (see `keeps` and
`Fix.postcondition`): a spelling fix must leave it identical; a fix with an
intended change names the parts it may change. The model follows BuildKit's
dockerfile2llb closely enough to be at least as strict as its LLB and image
config:

- each stage's base (an image after ARG expansion, or the earlier stage it
  is built FROM, named exactly as BuildKit stores it: in lower case), its
  platform (an explicit `--platform=$TARGETPLATFORM` is not the default) and
  name;
- the build steps in order: `RUN` (command, shell, environment including build
  arguments, working directory, user, flags), `COPY`/`ADD` (expanded sources,
  destination resolved against the working directory, flags with stage names
  resolved among all stages and in any case, heredoc bodies), and the folder
  each `WORKDIR` creates;
- the image config: environment (in order), labels, `CMD` and `ENTRYPOINT`
  (shell form wrapped in the shell; `ENTRYPOINT` resets a `CMD` not set in the
  stage), user, working directory, exposed ports (normalised as BuildKit
  does: `80/TCP` is `80/tcp`), volumes, stop signal,
  health check, shell, `ONBUILD` triggers (raw text, as the image stores them;
  a stage built FROM another does not inherit them), author;
- the history: one entry per instruction that commits one.

What is not known from the file (build arguments, the base image's
environment and settings) is an opaque token (`dockfix.words.unknown`), so
two files compare equal only when BuildKit certainly builds them alike.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dockfix.words import WordError, is_unknown, process_word, unknown

if TYPE_CHECKING:
    from dockfix.tree import Dockerfile, Instruction

# BuildKit defines these in the global scope (for FROM) on every build.
_PLATFORM_ARGS = (
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "BUILDOSVERSION",
    "TARGETOSVERSION",
    "TARGETSTAGE",
)
_DEFAULT_SHELL = ("/bin/sh", "-c")
# Config keys an instruction sets, for `keeps(...)` names like "config.cmd".
CONFIG_KEYS = (
    "env",
    "labels",
    "cmd",
    "entrypoint",
    "user",
    "workdir",
    "expose",
    "volumes",
    "stopsignal",
    "healthcheck",
    "shell",
    "onbuild",
    "author",
)

Value = object  # a hashable, comparable piece of the model


@dataclass
class StageModel:
    """One stage as BuildKit builds it: its base, the build steps (one tuple
    per step) and the image config it leaves."""

    name: str | None
    base: str
    platform: str | None
    steps: list[tuple[Value, ...]] = field(default_factory=list)
    config: dict[str, Value] = field(default_factory=dict)
    history: list[tuple[Value, ...]] = field(default_factory=list)


@dataclass
class BuildModel:
    """A whole file as BuildKit builds it: the global ARGs and every stage."""

    meta_args: dict[str, str]
    stages: list[StageModel]


class _Stage:
    """The state while dispatching one stage's instructions."""

    def __init__(
        self, model: StageModel, env: dict[str, str], fallback: str | None, escape: str
    ) -> None:
        self.model = model
        self.env = env  # ENV in force (inherited from a parent stage)
        self.args: dict[str, str] = {}  # ARGs declared in the stage
        self.fallback = fallback  # unknown-prefix for the base image's variables
        # The base image's variables whose values are known (images.official_env_values).
        self.base_env: dict[str, str] = {}
        self.escape = escape
        self.cmd_set = False
        # A WORKDIR was dispatched in this stage or the stages it is built FROM
        # (BuildKit's workdirSet, which WorkdirRelativePath reads).
        self.workdir_set = False
        # With `defaults`, a build without --build-arg (as `docker build --check`
        # sees it): ARGs take their defaults, and one without a default is
        # declared but unset (or takes the global ARG's value).
        self.defaults = False
        self.meta: dict[str, str] = {}
        self.declared: set[str] = set()

    def lookup(self, name: str) -> str | None:
        if name in self.env:
            return self.env[name]
        if name in self.base_env:  # the image's ENV, which an ARG does not override
            return self.base_env[name]
        if name in self.args:
            return self.args[name]
        return unknown(f"{self.fallback}:{name}") if self.fallback else None

    def word(self, text: str) -> str:
        return expand(text, self.lookup, self.escape)


def go_clean(path: str) -> str:
    """Go's path.Clean: like posixpath.normpath, but "//x" becomes "/x"."""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def resolve_workdir(current: str, path: str) -> str:
    """The working directory after `WORKDIR path` (already expanded) when it was
    `current`, as BuildKit's NormalizeWorkdir computes it on Linux: an absolute
    path is kept as written (`/app/` stays `/app/`), a relative one is joined
    to the current folder and cleaned, an empty one keeps the current folder."""
    if is_unknown(path):
        return path
    parent = current or "/"
    if not parent.startswith("/") and not is_unknown(parent):
        parent = go_clean("/" + parent)
    if path == "":
        return parent
    if path.startswith("/"):
        return path
    if is_unknown(parent):
        # Cleaned as BuildKit cleans the join (`./app/` is `app`), unless a
        # `..` would climb into the folder that is not known.
        if ".." in path.split("/"):
            return f"{parent}/{path}"
        rel = go_clean("/" + path)
        return parent if rel == "/" else parent + rel
    return go_clean(f"{parent}/{path}")


def expand(text: str, lookup: Callable[[str], str | None], escape: str) -> str:
    try:
        return process_word(text, lookup, escape)
    except WordError as e:
        return unknown(f"error:{text}:{e}")


def _arg_value(name: str, default: str | None) -> str:
    """A build argument's value: whatever `--build-arg` says, else its default."""
    return unknown(f"arg:{name}={default}" if default is not None else f"arg:{name}")


_PROTOCOLS = ("tcp", "udp", "sctp")


def expose_ports(word: str) -> tuple[str, ...]:
    """The `port/proto` entries BuildKit's parsePort makes of one expanded
    EXPOSE word: `[ip:][host:]port[-end][/proto]`, the protocol lower-cased
    (`tcp` by default), numbers read as integers, a range one entry per port.

    A word BuildKit rejects is an opaque error; a word holding an unknown
    value keeps it opaque, with a literal protocol after it lower-cased.
    """
    if is_unknown(word):
        port, slash, proto = word.rpartition("/")
        if slash and not is_unknown(proto) and proto.lower() in _PROTOCOLS:
            return (f"{port}/{proto.lower()}",)
        return (word,)
    if any(c.isspace() for c in word):  # ProcessWords would split it
        return (unknown(f"expose-words:{word}"),)
    container = word.split(":")[-1]
    port, _, proto = container.partition("/")
    try:
        if not port or proto.lower() not in ("", *_PROTOCOLS):
            raise ValueError(word)
        start, dash, end = port.partition("-")
        first = _port_number(start)
        last = _port_number(end) if dash and end != start else first
        if last < first:
            raise ValueError(word)
    except ValueError:
        return (unknown(f"expose-error:{word}"),)
    proto = proto.lower() or "tcp"
    return tuple(f"{n}/{proto}" for n in range(first, last + 1))


def _port_number(text: str) -> int:
    """Go's strconv.ParseInt(text, 10, 0), within 0-65535."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(text)
    number = int(text)
    if not 0 <= number <= 65535:
        raise ValueError(text)
    return number


def _flags(node: Instruction, state: _Stage, stage_names: dict[str, int]) -> tuple[Value, ...]:
    out: list[Value] = []
    for flag in node.reading.flags:
        value = flag.value
        if value is not None:
            value = state.word(value)
            if flag.name == "from":
                value = _resolve(value, stage_names)
            elif flag.name == "mount":
                value = _resolve_mount(value, stage_names)
        out.append((flag.name, value))
    return tuple(out)


def _resolve(name: str, stage_names: dict[str, int]) -> str:
    index = int(name) if name.isdecimal() else stage_names.get(name.lower())
    return f"stage#{index}" if index is not None else name


def _resolve_mount(spec: str, stage_names: dict[str, int]) -> str:
    fields = []
    for item in spec.split(","):
        key, eq, value = item.partition("=")
        if eq and key.strip().lower() == "from":
            value = _resolve(value, stage_names)
        fields.append(key + eq + value)
    return ",".join(fields)


def _heredocs(node: Instruction) -> tuple[Value, ...]:
    if node.script_heredoc is not None:
        return ()  # the body is the step's command (`_command`)
    return tuple((h.spec.name, h.spec.expand, h.content) for h in node.heredocs)


def _command(node: Instruction, state: _Stage) -> tuple[str, ...]:
    reading = node.reading
    if reading.json:
        return tuple(reading.args)
    shell = state.model.config.get("shell", _DEFAULT_SHELL)
    assert isinstance(shell, tuple)
    script = node.script_heredoc
    if script is not None:
        # BuildKit runs the body as the script (`sh -c BODY`): the same step
        # as a shell-form RUN of that text.
        return (*shell, script.content)
    return (*shell, *reading.args)


def _dispatch(
    node: Instruction,
    state: _Stage,
    stage_names: dict[str, int],
) -> None:
    reading = node.reading
    keyword = reading.keyword
    model, config = state.model, state.model.config
    cwd = config.get("workdir", "")
    user = config.get("user", "")
    if keyword == "run":
        # The image's own variables where known (official_env_values), then ENV, then ARGs.
        env = {**state.base_env, **state.env} if state.base_env else state.env
        environment = tuple(env.items()) + tuple(sorted(state.args.items()))
        model.steps.append(
            (
                "run",
                _command(node, state),
                environment,
                cwd,
                user,
                _flags(node, state, stage_names),
                _heredocs(node),
            )
        )
        model.history.append(("run", _command(node, state)))
    elif keyword in ("copy", "add"):
        paths = [state.word(a) for a in reading.args]  # either form expands
        sources, dest = tuple(paths[:-1]), paths[-1] if paths else ""
        # The working directory is read only for a destination that is not absolute.
        reads_cwd: Value = None if dest and posixpath.isabs(dest) else cwd
        if dest and not posixpath.isabs(dest) and not is_unknown(dest):
            dest = (cwd if isinstance(cwd, str) else "").rstrip("/") + "/" + dest
        model.steps.append(
            (keyword, sources, dest, reads_cwd, _flags(node, state, stage_names), _heredocs(node))
        )
        model.history.append((keyword, sources, dest))
    elif keyword == "workdir":
        path = resolve_workdir(str(cwd), state.word(reading.args[0]) if reading.args else "")
        config["workdir"] = path
        state.workdir_set = True
        model.steps.append(("mkdir", path, user))
        model.history.append(("workdir", path))
    elif keyword == "env":
        before = dict(state.env)
        lookup_before = _Frozen(state, before).lookup
        env = dict(config.get("env", ()))  # type: ignore[call-overload]
        for pair in reading.pairs:
            value = expand(pair.value, lookup_before, state.escape)
            key = expand(pair.key, lookup_before, state.escape)
            state.env[key] = value
            env[key] = value
        config["env"] = tuple(env.items())
        model.history.append(("env", tuple(state.env.items())))
    elif keyword == "label":
        labels = dict(config.get("labels", ()))  # type: ignore[call-overload]
        for pair in reading.pairs:
            labels[state.word(pair.key)] = state.word(pair.value)
        config["labels"] = tuple(sorted(labels.items()))
        model.history.append(("label", config["labels"]))
    elif keyword == "arg":
        for word in reading.args:
            name, eq, default = word.partition("=")
            name = state.word(name)
            if not state.defaults:
                # Without a default of its own, a stage's ARG takes the
                # global one's value (`--build-arg`, else that default).
                state.args[name] = (
                    _arg_value(name, state.word(default))
                    if eq
                    else state.meta.get(name, _arg_value(name, None))
                )
            elif eq or name in state.meta:
                state.args[name] = state.word(default) if eq else state.meta[name]
            else:
                state.declared.add(name)
    elif keyword == "cmd":
        config["cmd"] = _command(node, state)
        state.cmd_set = True
        model.history.append(("cmd", config["cmd"]))
    elif keyword == "entrypoint":
        config["entrypoint"] = _command(node, state)
        if not state.cmd_set:
            config["cmd"] = None
        model.history.append(("entrypoint", config["entrypoint"]))
    elif keyword == "user":
        config["user"] = state.word(reading.args[0]) if reading.args else ""
        model.history.append(("user", config["user"]))
    elif keyword == "expose":
        # parseExpose sorts the words as written; dispatchExpose expands each
        # and normalises it (convert_expose.go): the history lists this
        # instruction's ports in that order, the config holds the set.
        added = tuple(p for word in sorted(reading.args) for p in expose_ports(state.word(word)))
        ports = set(config.get("expose", ()))  # type: ignore[call-overload]
        ports.update(added)
        config["expose"] = tuple(sorted(ports))
        model.history.append(("expose", added))
    elif keyword == "volume":
        volumes = set(config.get("volumes", ()))  # type: ignore[call-overload]
        volumes.update(state.word(a) for a in reading.args)
        config["volumes"] = tuple(sorted(volumes))
        model.history.append(("volume", config["volumes"]))
    elif keyword == "stopsignal":
        config["stopsignal"] = state.word(reading.args[0]) if reading.args else ""
        model.history.append(("stopsignal", config["stopsignal"]))
    elif keyword == "healthcheck":
        flags = tuple(f.text for f in reading.flags)
        args = reading.args
        kind = (args[0].upper(),) if args else ()  # parseHealthcheck upper-cases CMD/NONE
        config["healthcheck"] = (flags, reading.json, (*kind, *args[1:]))
        model.history.append(("healthcheck", config["healthcheck"]))
    elif keyword == "shell":
        config["shell"] = tuple(reading.args)
        model.history.append(("shell", config["shell"]))
    elif keyword == "onbuild":
        triggers = config.get("onbuild", ())
        assert isinstance(triggers, tuple)
        config["onbuild"] = (*triggers, reading.rest)
        model.history.append(("onbuild", reading.rest))
    elif keyword == "maintainer":
        config["author"] = reading.args[0] if reading.args else ""
        model.history.append(("maintainer", config["author"]))
    else:
        model.steps.append(("unknown", keyword, reading.args))


class _Frozen:
    """Lookups against the environment as it was before an ENV instruction."""

    def __init__(self, state: _Stage, env: dict[str, str]) -> None:
        self._state = state
        self._env = env

    def lookup(self, name: str) -> str | None:
        if name in self._env:
            return self._env[name]
        if name in self._state.args:
            return self._state.args[name]
        fallback = self._state.fallback
        return unknown(f"{fallback}:{name}") if fallback else None


@dataclass(frozen=True)
class Point:
    """What is in force just before an instruction of a stage is dispatched."""

    stage: int  # index among the stages with a FROM
    workdir: str  # the working directory (may be unknown)
    workdir_set: bool  # a WORKDIR ran before, in this stage or the stages it is built FROM
    env: tuple[tuple[str, str], ...]  # ENV in force (the base image's is not included)
    args: tuple[tuple[str, str], ...]  # ARGs declared in the stage, with a value
    declared: frozenset[str]  # every ARG declared in the stage (with a value or not)
    base_env_unknown: bool  # the stage's root is an image, whose environment is unknown
    escape: str
    # Variables of the base image whose values are known (images.official_env_values).
    base_env: tuple[tuple[str, str], ...] = ()

    def lookup(self, name: str) -> str | None:
        for key, value in self.env:
            if key == name:
                return value
        for key, value in self.base_env:
            if key == name:
                return value
        for key, value in self.args:
            if key == name:
                return value
        return unknown(f"base:{name}") if self.base_env_unknown else None

    def word(self, text: str) -> str:
        """`text` expanded as BuildKit expands it here (unknown where it cannot be known)."""
        return expand(text, self.lookup, self.escape)


Observer = Callable[["Instruction", Point], None]


def _point(index: int, state: _Stage) -> Point:
    return Point(
        index,
        str(state.model.config.get("workdir", "")),
        state.workdir_set,
        tuple(state.env.items()),
        tuple(state.args.items()),
        frozenset(state.args) | frozenset(state.declared),
        state.fallback is not None,
        state.escape,
        tuple(state.base_env.items()),
    )


def _triggers(parent: list[Instruction]) -> list[Instruction]:
    """The parent stage's ONBUILD triggers, as BuildKit runs them first in a
    stage built FROM it (resolveStages / initOnBuildTriggers): each trigger's
    text is parsed on its own, with the default escape character."""
    from dockfix.errors import ParseError
    from dockfix.parser import parse_instruction

    nodes = []
    for node in parent:
        if node.keyword != "onbuild":
            continue
        text = node.reading.rest
        for heredoc in node.heredocs:
            text += "\n" + heredoc.code
        try:
            nodes.append(parse_instruction(text.rstrip("\r\n") + "\n", "\\"))
        except ParseError:
            nodes.append(parse_instruction("ONBUILD-ERROR " + json.dumps(text) + "\n", "\\"))
    return nodes


def model(tree: Dockerfile, observe: Observer | None = None, defaults: bool = False) -> BuildModel:
    """What BuildKit builds from `tree` (see the module docstring).

    `observe`, if given, is called with each instruction of a stage and what
    is in force just before it (see `points`). With `defaults`, build
    arguments take their default values, as in a build without --build-arg
    (what `docker build --check` evaluates).

    Without `observe`, the model is computed once per tree (trees are
    immutable); callers must not change it.
    """
    if observe is not None:
        return _model(tree, observe, defaults)
    memo = tree.__dict__.setdefault("_semantic_models", {})
    if defaults not in memo:
        memo[defaults] = _model(tree, None, defaults)
    result = memo[defaults]
    assert isinstance(result, BuildModel)
    return result


def env_reads(nodes: Sequence[Instruction], escape: str) -> list[tuple[str, str]]:
    """What a run of ENV instructions sets, pair by pair and in order: each key
    and value expanded as BuildKit expands them (against the variables as they
    were before that instruction), every variable set before the run an opaque
    unknown. Two runs that read alike set the same values in any context."""
    env: dict[str, str] = {}
    out: list[tuple[str, str]] = []
    for node in nodes:
        before = dict(env)

        def lookup(name: str, before: dict[str, str] = before) -> str:
            return before[name] if name in before else unknown(f"var:{name}")

        for pair in node.reading.pairs:
            key = expand(pair.key, lookup, escape)
            value = expand(pair.value, lookup, escape)
            env[key] = value
            out.append((key, value))
    return out


def _model(tree: Dockerfile, observe: Observer | None, defaults: bool) -> BuildModel:
    from dockfix.images import configured_shell, official_env_values
    from dockfix.stages import stages

    escape = tree.escape
    meta: dict[str, str] = {name: unknown(f"arg:{name}") for name in _PLATFORM_ARGS}
    declared_meta: dict[str, str] = {}
    result = BuildModel(declared_meta, [])
    states: list[_Stage] = []
    nodes: list[list[Instruction]] = []
    all_stages = [s for s in stages(tree) if s.from_ is not None]
    # `COPY --from` and `RUN --mount=from=` find a stage by name in lower
    # case once every stage is known, the last of a name winning
    # (findStateByName); `FROM name` looks the name up as written among the
    # stages before it (addState), so `FROM Builder` is an image, never the
    # stage `AS Builder` (BuildKit stores stage names in lower case).
    stage_names = {s.name: i for i, s in enumerate(all_stages) if s.name is not None}
    earlier: dict[str, int] = {}
    for stage in stages(tree):
        if stage.from_ is None:  # global ARGs before the first FROM
            for node in stage.instructions:
                if node.keyword != "arg":
                    continue
                for word in node.reading.args:
                    name, eq, default = word.partition("=")
                    value = expand(default, lambda n: meta.get(n), escape) if eq else None
                    if defaults:
                        if value is not None:
                            meta[name] = declared_meta[name] = value
                        else:
                            declared_meta.setdefault(name, unknown(f"unset:{name}"))
                        continue
                    meta[name] = declared_meta[name] = _arg_value(name, value)
            continue
        reading = stage.from_.reading
        image = expand(reading.args[0], lambda n: meta.get(n), escape) if reading.args else ""
        platform_flag = reading.flag("platform")
        platform: str | None = None
        if platform_flag is not None and platform_flag.value is not None:
            # Even `$TARGETPLATFORM` is not the default: without the flag,
            # a build given no --platform takes a single-platform base image's
            # own platform (convert.go: autoDetectPlatform, only when the
            # stage has none), and `--build-arg TARGETPLATFORM=…` changes the
            # flag's value but not the default (platform.go: defaultArgs).
            platform = expand(platform_flag.value, lambda n: meta.get(n), escape)
        stage_name = reading.args[2].lower() if len(reading.args) >= 3 else None
        parent = earlier.get(image)
        triggers: list[Instruction] = []
        if parent is not None:
            inherited = states[parent]
            stage_model = StageModel(
                stage_name,
                f"stage#{parent}",
                platform,
                config=dict(inherited.model.config),
            )
            stage_model.config.pop("onbuild", None)  # triggers do not carry over (init)
            state = _Stage(stage_model, dict(inherited.env), inherited.fallback, escape)
            state.base_env = inherited.base_env
            state.workdir_set = inherited.workdir_set
            # ARG values live in the build state's environment, which the child
            # starts from (and its build args: dispatchState.init).
            state.args = dict(inherited.args)
            state.declared = set(inherited.declared)
            # The parent's ONBUILD triggers run first (resolveStages).
            triggers = _triggers(nodes[parent])
        elif image == "scratch":
            # BuildKit's emptyImage: working directory `/` and a default PATH
            # (none on Windows, which the file does not say).
            path = unknown("scratch:PATH")
            stage_model = StageModel(
                stage_name,
                "scratch",
                platform,
                config={"workdir": "/", "env": (("PATH", path),)},
            )
            state = _Stage(stage_model, {"PATH": path}, None, escape)
        else:
            stage_model = StageModel(
                stage_name,
                image,
                platform,
                config={
                    key: unknown(f"base:{key}")
                    for key in ("cmd", "entrypoint", "user", "workdir", "shell")
                },
            )
            # The image's own SHELL where dockfix knows it (cimg/*, Jupyter's),
            # else BuildKit's default: its RUNs run in it.
            stage_model.config["shell"] = configured_shell(image) or _DEFAULT_SHELL
            state = _Stage(stage_model, {}, f"base:{image}", escape)
            state.base_env = official_env_values(image)
        state.defaults, state.meta = defaults, meta
        for node in triggers:
            _dispatch(node, state, stage_names)
        for node in stage.instructions:
            if observe is not None:
                observe(node, _point(len(states), state))
            _dispatch(node, state, stage_names)
        if stage_name is not None:
            earlier[stage_name] = len(states)
        states.append(state)
        nodes.append(list(stage.instructions))
        result.stages.append(stage_model)
    return result


def points(tree: Dockerfile, defaults: bool = False) -> dict[int, Point]:
    """What is in force before each instruction of a stage, by `id(instruction)`
    (with `defaults`: in a build without --build-arg, see `model`).

    Computed once per tree; callers get their own dict.
    """
    memo = tree.__dict__.setdefault("_semantic_points", {})
    if defaults not in memo:
        found: dict[int, Point] = {}

        def observe(node: Instruction, point: Point) -> None:
            found[id(node)] = point

        built = model(tree, observe, defaults)
        memo[defaults] = found
        # The observer only looks: the same model as `model(tree, defaults=...)`.
        tree.__dict__.setdefault("_semantic_models", {}).setdefault(defaults, built)
    return dict(memo[defaults])


def differences(before: BuildModel, after: BuildModel, allowed: Iterable[str] = ()) -> str | None:
    """Why `after` is not built like `before`, or None.

    `allowed` names what may differ: "base", "platform", "history", "steps",
    "config" or "config.<key>" (see CONFIG_KEYS), "meta_args", or "run.command"
    (the command of `RUN` steps and their history entries, nothing else about
    them).
    """
    allow = frozenset(allowed)
    if "run.command" in allow:
        before, after = _without_run_commands(before), _without_run_commands(after)
    if "meta_args" not in allow and before.meta_args != after.meta_args:
        return "the global build arguments differ"
    if len(before.stages) != len(after.stages):
        return f"{len(before.stages)} stages became {len(after.stages)}"
    for i, (old, new) in enumerate(zip(before.stages, after.stages, strict=True)):
        where = f"stage {i + 1}" + (f" ({old.name})" if old.name else "")
        if old.name != new.name:
            return f"{where}: the stage name differs"
        if "platform" not in allow and old.platform != new.platform:
            return f"{where}: the platform differs"
        if "base" not in allow and old.base != new.base:
            return f"{where}: the base image differs"
        if "steps" not in allow and old.steps != new.steps:
            return f"{where}: the build steps differ ({_first_difference(old.steps, new.steps)})"
        if "history" not in allow and old.history != new.history:
            return f"{where}: the image history differs"
        if "config" in allow:
            continue
        for key in sorted(set(old.config) | set(new.config)):
            if f"config.{key}" in allow:
                continue
            if old.config.get(key) != new.config.get(key):
                return f"{where}: the image config's {key} differs"
    return None


def _without_run_commands(build: BuildModel) -> BuildModel:
    """`build` with the command of every `RUN` step (and history entry) blanked."""

    def blank(entries: list[tuple[Value, ...]]) -> list[tuple[Value, ...]]:
        return [(e[0], None, *e[2:]) if e[0] == "run" else e for e in entries]

    stages = [
        StageModel(s.name, s.base, s.platform, blank(s.steps), s.config, blank(s.history))
        for s in build.stages
    ]
    return BuildModel(build.meta_args, stages)


def _first_difference(old: list[tuple[Value, ...]], new: list[tuple[Value, ...]]) -> str:
    for a, b in zip(old, new, strict=False):
        if a != b:
            return f"{a[0]} step"
    return f"{len(old)} steps became {len(new)}"


def keeps(*allowed: str) -> Callable[[Dockerfile, Dockerfile], str | None]:
    """A post-condition: the build is the same, except for `allowed` parts."""

    def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
        return differences(model(before), model(after), allowed)

    postcondition.__qualname__ = f"keeps({', '.join(allowed)})" if allowed else "keeps()"
    return postcondition


def keeps_commands(
    check: Callable[[str, str], str | None], env: Iterable[str] = ()
) -> Callable[[Dockerfile, Dockerfile], str | None]:
    """A post-condition for fixes that rewrite the shell commands of `RUN`s and
    nothing else: the build is the same except for the scripts of shell-form
    `RUN` steps (same shell, environment, working directory, user, flags,
    heredocs, same number of steps), and `check(old_script, new_script)`
    accepts each script that changed (None when it does, else why not).
    The variables `env` may also be set (see `without_env`)."""
    keys = tuple(env)

    def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
        old_build, new_build = model(before), model(after)
        if keys:
            old_build, new_build = without_env(old_build, keys), without_env(new_build, keys)
        reason = differences(old_build, new_build, ("run.command",))
        if reason is not None:
            return reason
        for i, (old, new) in enumerate(zip(old_build.stages, new_build.stages, strict=True)):
            for a, b in zip(old.steps, new.steps, strict=True):
                if a[0] != "run" or a[1] == b[1]:
                    continue
                old_cmd, new_cmd = a[1], b[1]
                assert isinstance(old_cmd, tuple) and isinstance(new_cmd, tuple)
                if len(old_cmd) != len(new_cmd) or old_cmd[:-1] != new_cmd[:-1] or not old_cmd:
                    return f"stage {i + 1}: a RUN's shell or exec form changed"
                why = check(str(old_cmd[-1]), str(new_cmd[-1]))
                if why is not None:
                    return f"stage {i + 1}: {why}"
        return None

    postcondition.__qualname__ = f"keeps_commands({getattr(check, '__qualname__', 'check')})"
    return postcondition


Postcondition = Callable[["Dockerfile", "Dockerfile"], "str | None"]


def without_env(build: BuildModel, keys: Iterable[str]) -> BuildModel:
    """`build` as if the file never set the variables `keys`: they are dropped
    from the environment of every `RUN` step and from the image config, and the
    history loses its `ENV` entries (what they set shows in the steps and the
    config). Everything that *reads* those variables (a `COPY` destination, a
    `WORKDIR`, another variable's value) is kept as it expanded."""
    drop = frozenset(keys)

    def env(pairs: object) -> object:
        if not isinstance(pairs, tuple):
            return pairs
        return tuple(p for p in pairs if not (isinstance(p, tuple) and p and p[0] in drop))

    stages = []
    for s in build.stages:
        steps = [(*e[:2], env(e[2]), *e[3:]) if e[0] == "run" else e for e in s.steps]
        config = dict(s.config)
        if "env" in config:
            config["env"] = env(config["env"])
            if not config["env"]:
                del config["env"]  # no ENV left: as if none had run
        history = [e for e in s.history if e[0] != "env"]
        stages.append(StageModel(s.name, s.base, s.platform, steps, config, history))
    return BuildModel(build.meta_args, stages)


def keeps_env(keys: Iterable[str], *allowed: str) -> Postcondition:
    """A post-condition: the build is the same but for the values of the
    variables `keys` (set, changed or added by `ENV`) and the `allowed` parts."""
    names = frozenset(keys)

    def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
        return differences(
            without_env(model(before), names), without_env(model(after), names), allowed
        )

    postcondition.__qualname__ = f"keeps_env({', '.join(sorted(names))})"
    return postcondition


def keeps_rewritten(
    keys: Sequence[str], rewritten: Callable[[Value, Value], bool]
) -> Postcondition:
    """A post-condition: the build is the same but for the config `keys` (and
    their history entries), each old and new value of which `rewritten`
    accepts (it must accept equal ones): `CMD` in JSON form, say."""
    loose = keeps("history", *(f"config.{key}" for key in keys))

    def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
        reason = loose(before, after)
        if reason is not None:
            return reason
        for i, (old, new) in enumerate(
            zip(model(before).stages, model(after).stages, strict=True), start=1
        ):
            if len(old.history) != len(new.history):
                return f"stage {i}: the image history differs"
            for a, b in zip(old.history, new.history, strict=True):
                if a != b and not (a[0] == b[0] and a[0] in keys and rewritten(a[1], b[1])):
                    return f"stage {i}: {str(a[0]).upper()} is not the same command"
            for key in keys:
                if not rewritten(old.config.get(key), new.config.get(key)):
                    return f"stage {i}: the image config's {key} is not the same command"
        return None

    postcondition.__qualname__ = f"keeps_rewritten({', '.join(keys)})"
    return postcondition


BASE_WORKDIR = unknown("base:workdir")
"""The working directory an image gives a stage built FROM it (not in the file)."""


def with_base_workdir(build: BuildModel, folder: Callable[[str], str | None]) -> BuildModel:
    """`build` with the base image's working directory read as the folder
    `folder` gives for the image a stage's chain of stages starts from (its
    known `WORKDIR`, `/` where it sets none; None: left unknown): the string
    it is joined to becomes that folder (`<base>/app` is `/app` for `/`,
    `/go/app` for `/go`)."""

    def rooted(value: object, known: str) -> object:
        if isinstance(value, str):
            if value == BASE_WORKDIR:
                return known
            joined = value.replace(BASE_WORKDIR, known.rstrip("/"))
            if not value.startswith(BASE_WORKDIR) or "/.." not in joined:
                return joined
            # A `..` kept while the base's folder was not known: cleaned as
            # BuildKit cleans the join once the folder is known
            # (`<base>/app/../srv` is `/srv` for `/`), a trailing `/` kept.
            cleaned = go_clean(joined or "/")
            return cleaned + "/" if joined.endswith("/") and cleaned != "/" else cleaned
        if isinstance(value, tuple):
            return tuple(rooted(v, known) for v in value)
        return value

    stages: list[StageModel] = []
    for s in build.stages:
        base = s.base
        while base.startswith("stage#") and int(base[6:]) < len(stages):
            base = build.stages[int(base[6:])].base
        known = folder(base)
        if known is None:
            stages.append(s)
            continue
        steps = [rooted(e, known) for e in s.steps]
        config = {k: rooted(v, known) for k, v in s.config.items()}
        history = [rooted(e, known) for e in s.history]
        stages.append(StageModel(s.name, s.base, s.platform, steps, config, history))  # type: ignore[arg-type]
    return BuildModel(build.meta_args, stages)


same_build = keeps()
"""The post-condition of a pure spelling fix: graph, config and history identical."""
