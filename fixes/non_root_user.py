"""## What it does
Finds a final stage that runs as root (no `USER`, or the last `USER` is root)
and, when it starts an application (`CMD` or `ENTRYPOINT`), makes it run as
an unprivileged user: it adds the user `app` with the
fixed UID and GID 10001 and the command of the base image's family
(Debian/Ubuntu and the RHEL family: `groupadd`/`useradd`; Alpine:
`addgroup`/`adduser`), gives the user the working directory and the files
copied into it (`--chown`), and switches with a numeric `USER 10001:10001`
after the last instruction that needs root, before `CMD`/`ENTRYPOINT`.

## Why is this bad?
A process running as root in a container is root on the container's
filesystem and, after any escape, much closer to root on the host. Most
applications need no privileges at run time.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
```

Use instead:
```dockerfile
FROM python:3.12-slim
WORKDIR /app
RUN groupadd --gid 10001 app && useradd --no-log-init --uid 10001 --gid app --create-home app \\
    && chown app:app /app
COPY --chown=app:app . .
RUN pip install -r requirements.txt
USER 10001:10001
CMD ["python", "app.py"]
```

## Fix safety
Unsafe: the application then runs as another user. Files it writes outside
its working directory, ports below 1024 and installs at run time can fail.
The user is created before the first `COPY`/`ADD`/`RUN` of the stage so that
`--chown` can name it. `USER` is numeric, so that Kubernetes' `runAsNonRoot`
can check it without reading the image's `/etc/passwd` (and hadolint's
DL3066 holds); the named user still exists for tools that want a name and a
home. A user the file already creates (`useradd`/`adduser`) is reused when
its UID is written in the command (`-u 1000`, `--uid 1000`): `USER 1000`.
Without a literal UID it is reported without a fix, and a name that is not
literal (`adduser ${USER}` with a shell variable) is never written into
`USER` or `--chown`, where BuildKit would read its own variable instead.
`--no-log-init` keeps `useradd` from writing a large sparse `lastlog`.
Skipped: `scratch`, distroless and Chainguard images, images that already run
as non-root, and a final stage built `FROM` a stage of the file that switched
to a non-root user. A final stage with neither `CMD` nor `ENTRYPOINT` in it or
in the stages of the file it is built `FROM` is a base image or a toolchain:
the images built `FROM` it run their `apk add`, `apt-get install` or
`cargo install` as its user, so it is reported without a fix (the fix
decides on the file as it is: when missing-cmd adds a `CMD` from the
project's files, the user is added in the next round). Images that step
down from root themselves when they start are reported without a fix too, as
their entrypoint's `chown` and step down would fail as another user: a chain
of stages that installs `gosu` or `su-exec` (in a `RUN`, or copied from an
image), or whose `CMD`/`ENTRYPOINT` runs `gosu`, `su-exec`, `su`, `setpriv`,
`s6-setuidgid`, `runuser`, `chroot --userspec`, `chpst -u` or `sudo -u`,
itself or in a script it names that the stages copy from the build context
(or write with `COPY <<EOF`). Such a script is read from the build context
(up to 256 KiB, 8 files; in a file that is not a shell script, `su` and
`sudo` are not looked for, as other languages use the words); a `*.sh` or
`*entrypoint*` script copied by name that cannot be read there (another
build context, a link leading out of it, too large) is reported without a
fix as well. An unknown image
family, or one that may lack `useradd` (`ubi-minimal`, Amazon Linux), is
reported without a fix, and so is a stage whose file ends inside a continued
instruction.
New lines follow the file's conventions: keyword case (the majority's),
continuation indent, `&&` at line start or end, blank lines between
instructions.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockfix import contextfiles
from dockfix.contextfiles import Kind
from dockfix.editing import set_flag
from dockfix.rewrites import (
    RUN_COMMAND,
    Step,
    copy_gains_flag,
    mkdir_user_changed,
    rewrites,
    step_added,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.shell import Command, Word, commands
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Blank, Dockerfile, Instruction, Node

RULE = Rule(
    code="DF009",
    name="non-root-user",
    summary="The final stage runs as root",
    safety=Safety.UNSAFE,
    hadolint="DL3002",
)
# What BuildKit must read in the output: only these parts may change.


def _creates_user(step: Step) -> str | None:
    command = step[RUN_COMMAND]
    script = str(command[-1]) if isinstance(command, tuple) and command else ""
    names = {c.name for c in commands(script) or []}
    if {"useradd", "adduser"} & names and names <= {
        "groupadd",
        "addgroup",
        "useradd",
        "adduser",
        "chown",
    }:
        return None
    return "the added RUN does more than create the user"


# What BuildKit must read in the output: the same build but for one added RUN
# that creates the user, `--chown` on copies, the user that later WORKDIRs
# create their folder as, and the image's user (history aside).
POSTCONDITION = rewrites(
    step_added("run", _creates_user),
    copy_gains_flag("chown"),
    mkdir_user_changed,
    allowed=("history", "config.user"),
)

USER = "app"
# A fixed UID and GID, so that `USER` is numeric (Kubernetes' runAsNonRoot can
# verify it; hadolint DL3066). 10001 is what `docker init` uses: above the
# ranges distributions give out, below hadolint's DL3046 limit.
UID = 10001
_ROOT = re.compile(r"\A(root|0)(:.*)?\Z")
_NON_ROOT_IMAGES = re.compile(
    r"distroless|cgr\.dev/chainguard|nonroot|rootless|unprivileged|\Abitnami/", re.IGNORECASE
)
_DEBIAN = re.compile(r"debian|ubuntu|bookworm|bullseye|buster|trixie|jammy|noble|focal|slim")
_ALPINE = re.compile(r"alpine")
_RHEL = re.compile(r"fedora|rockylinux|almalinux|centos|redhat/ubi|/ubi\d|amazonlinux|oraclelinux")
# Official images built on Debian unless their tag says otherwise.
_DEBIAN_BASED = re.compile(
    r"\A(?:docker\.io/)?(?:library/)?(python|node|ruby|golang|openjdk|"
    r"eclipse-temurin|php|perl|rust|ghcr\.io/astral-sh/uv)(:|\Z)"
)
_ROOT_WORK = frozenset({"run", "copy", "add"})


def _family(chain: list[Stage]) -> str | None:
    image = chain[-1].image.lower()
    used = " ".join(
        c.name
        for s in chain
        for i in s.instructions_of("run")
        for c in commands(i.reading.rest) or []
    )
    # ubi-minimal (microdnf) and Amazon Linux images may lack useradd.
    if ("minimal" in image and _RHEL.search(image)) or re.search(r"\bmicrodnf\b", used):
        return None
    if "amazonlinux" in image:
        return None
    if _ALPINE.search(image) or re.search(r"\bapk\b", used):
        return "alpine"
    if _RHEL.search(image) or re.search(r"\b(dnf|yum)\b", used):
        return "rhel"
    if _DEBIAN.search(image) or _DEBIAN_BASED.match(image) or re.search(r"\bapt(-get)?\b", used):
        return "debian"
    return None


@dataclass(frozen=True)
class Existing:
    """A user the file creates: its name and UID when written literally."""

    name: str | None  # None: not a literal name (`${USER}`, `"$NAME"`)
    uid: str | None  # digits, or None when the command does not fix it
    group: bool  # a group of the same name is created too


# Options that take a value, per command (the value may also follow `=`).
_VALUED = {
    "useradd": frozenset({
        "-b", "--base-dir", "-c", "--comment", "-d", "--home-dir", "--home", "-e",
        "--expiredate", "-f", "--inactive", "-g", "--gid", "-G", "--groups", "-k", "--skel",
        "-K", "--key", "-p", "--password", "-R", "--root", "-P", "--prefix", "-s", "--shell",
        "-u", "--uid", "-Z", "--selinux-user", "--selinux-range",
    }),
    "adduser": frozenset({
        "--home", "--shell", "--gecos", "--comment", "--ingroup", "--gid", "--uid",
        "--firstuid", "--lastuid", "--firstgid", "--lastgid", "--conf", "--add-extra-groups",
    }),
    # busybox: -g is the GECOS field, -G the group
    "busybox-adduser": frozenset({"-h", "-g", "-s", "-G", "-u", "-k"}),
    "groupadd": frozenset({"-g", "--gid", "-K", "--key", "-p", "--password", "-R", "--root"}),
    "addgroup": frozenset({"-g", "--gid", "--conf"}),
}  # fmt: skip
_UID_OPTIONS = frozenset({"-u", "--uid"})
_LITERAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def _parse(cmd: Command, table: str) -> tuple[list[Word], dict[str, str]]:
    """The positional words of `cmd` and its valued options (last one wins)."""
    valued = _VALUED[table]
    positional: list[Word] = []
    options: dict[str, str] = {}
    words = cmd.words[1:]
    i = 0
    while i < len(words):
        value = words[i].value
        if value.startswith("-") and value != "-":
            name, eq, rest = value.partition("=")
            if eq:
                options[name] = rest
            elif value in valued and i + 1 < len(words):
                options[value] = words[i + 1].value
                i += 1
            elif len(value) > 2 and value[:2] in valued and not value.startswith("--"):
                options[value[:2]] = value[2:]  # -u1000
        else:
            positional.append(words[i])
        i += 1
    return positional, options


def _existing_user(chain: list[Stage], family: str) -> Existing | None:
    """The first user the chain's RUNs create (useradd, adduser), if any."""
    groups: set[str] = set()
    found: Existing | None = None
    for stage in reversed(chain):
        for run in stage.instructions_of("run"):
            for cmd in commands(run.reading.rest) or []:
                if cmd.name in ("groupadd", "addgroup"):
                    positional, _ = _parse(cmd, cmd.name)
                    if len(positional) == 1:
                        groups.add(positional[0].text)
                    continue
                if cmd.name not in ("useradd", "adduser") or found is not None:
                    continue
                table = (
                    "busybox-adduser"
                    if cmd.name == "adduser" and family == "alpine"
                    else (cmd.name)
                )
                positional, options = _parse(cmd, table)
                if not positional or (table == "adduser" and len(positional) > 1):
                    continue  # `adduser user group` adds a user to a group
                word = positional[0]
                name = word.text if _LITERAL_NAME.match(word.text) else None
                uid = next((options[o] for o in _UID_OPTIONS if o in options), None)
                if uid is not None and not uid.isdigit():
                    uid = None
                found = Existing(name, uid, False)
    if found is not None and found.name in groups:
        found = Existing(found.name, found.uid, True)
    return found


# Commands an entrypoint started as root uses to run the application as
# another user: as that user already, they fail ("operation not permitted").
_STEP_DOWN = re.compile(
    r"""(?:^|(?<=[\s;&|(`'"/]))(?:"""
    r"""(?P<name>gosu|su-exec|setpriv|s6-setuidgid|runuser|su)(?=[\s'";&|)]|$)"""
    r"|(?P<chroot>chroot)\b[^\n;&|]*--userspec"
    r"|(?P<chpst>chpst)\b[^\n;&|]*\s-[uU]"
    r"|(?P<sudo>sudo)\b[^\n;&|]*\s(?:-u|--user)\b"
    r")",
    re.MULTILINE,
)
# What an image ships only to step down at start.
_STEP_DOWN_TOOLS = re.compile(r"(?<![\w.-])(gosu|su-exec)(?![\w-])")
_SHEBANG_SHELL = re.compile(r"\A#!.*\b(?:sh|bash|ash|dash|zsh|ksh|busybox)\b")
_SCRIPT_LIMIT = 256 * 1024  # bytes read of one entrypoint script, at most
_MAX_SCRIPTS = 8
_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
_TOKEN = re.compile(r"""[^\s;&|()<>'"`]+""")


def _steps_down(text: str, shell: bool = True) -> str | None:
    """The command of `text` that steps down from root (`gosu`, `chroot
    --userspec`, ...), if any; comment lines aside. Outside shell scripts
    (`shell` False) only the names that mean nothing else are looked for."""
    lines = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for m in _STEP_DOWN.finditer("\n".join(lines)):
        found = m.group("name") or m.group("chroot") or m.group("chpst") or m.group("sudo")
        if shell or found not in ("su", "sudo"):
            return found if m.group("name") else m.group(0).strip()
    return None


def _entry_instructions(chain: list[Stage]) -> list[Instruction]:
    return [
        i for s in reversed(chain) for i in s.instructions if i.keyword in ("cmd", "entrypoint")
    ]


def _script_text(node: Instruction) -> str:
    """What a RUN or COPY/ADD says: its flags, words and heredocs."""
    parts = [f.text for f in node.reading.flags]
    parts.append(node.reading.rest)
    parts.extend(h.content for h in node.heredocs)
    return "\n".join(parts)


def _entry_tokens(node: Instruction) -> list[str]:
    """The words of a CMD/ENTRYPOINT that may name a script: its program, paths
    and `*.sh` (the words of a `sh -c` string too)."""
    found: list[str] = []
    for n, arg in enumerate(node.reading.args):
        for k, m in enumerate(_TOKEN.finditer(arg)):
            token = m.group(0)
            if token.startswith(("-", "$")) or "=" in token or "://" in token:
                continue
            if (n == 0 and k == 0) or "/" in token or token.endswith((".sh", ".bash")):
                found.append(token)
    return found


@dataclass(frozen=True)
class _Copied:
    """A COPY/ADD from the build context: its sources and where they go."""

    sources: tuple[str, ...]
    dest: str  # absolute, cleaned; "" when not literal
    into: bool  # the destination is a folder the sources go into
    heredocs: tuple[tuple[str, str], ...]  # (name, content) of `COPY <<EOF`


def _copies(chain: list[Stage]) -> list[_Copied]:
    found: list[_Copied] = []
    workdir = "/"
    for stage in reversed(chain):
        for node in stage.instructions:
            if node.keyword == "workdir" and node.reading.args:
                workdir = posixpath.normpath(posixpath.join(workdir, node.reading.args[0]))
            if node.keyword not in ("copy", "add") or node.reading.flag("from") is not None:
                continue
            args = node.reading.args
            if len(args) < 2:
                continue
            sources, dest = args[:-1], args[-1]
            literal = "$" not in dest and "$" not in workdir
            full = posixpath.normpath(posixpath.join(workdir, dest)) if literal else ""
            into = (
                dest.endswith("/")
                or len(sources) > 1
                or any(c in src for src in sources for c in "*?[")
            )
            heredocs = tuple((h.spec.name, h.content) for h in node.heredocs)
            kept = tuple(s for s in sources if not s.startswith("<<") and "://" not in s)
            found.append(_Copied(kept, full, into, heredocs))
    return found


def _image_paths(token: str, workdir: str) -> list[str]:
    """Where the program or script `token` may be in the image."""
    if token.startswith("/"):
        return [posixpath.normpath(token)]
    paths = []
    if "/" in token or token.endswith((".sh", ".bash")):
        paths.append(posixpath.normpath(posixpath.join(workdir, token)))
    if "/" not in token:
        paths.extend(f"{folder}/{token}" for folder in _PATH)
    return paths


@dataclass(frozen=True)
class _Candidate:
    """A file a COPY/ADD may have put where the entrypoint names a script."""

    path: str  # in the build context (the heredoc's name for `COPY <<EOF`)
    named: bool  # the copy names it as a source (not a file of a folder it copies)
    content: str | None = None  # a heredoc's body


def _candidates(
    copied: _Copied, token: str, paths: list[str], context: Context
) -> Iterator[_Candidate]:
    """The context files (or heredoc bodies) the copy may have put at one of
    `paths`, or that bear the name of `token`."""
    name = posixpath.basename(token)
    for heredoc, content in copied.heredocs:
        target = posixpath.join(copied.dest, heredoc) if copied.into else copied.dest
        if target in paths:
            yield _Candidate(heredoc, True, content)
    for source in copied.sources:
        if contextfiles.has_wildcard(source):
            matches = contextfiles.expand(context, source) or []
        else:
            matches = [source]
        for match in matches:
            if "$" in match:
                continue
            folder = copied.dest.rstrip("/") or "/"
            if contextfiles.kind(context, match) is Kind.DIR:
                for path in paths:
                    if copied.dest and (folder == "/" or path.startswith(folder + "/")):
                        inside = path[len(folder) :]
                        yield _Candidate(contextfiles.clean(f"{match}/{inside}"), False)
                continue
            target = posixpath.join(copied.dest, posixpath.basename(match))
            if not copied.into:
                target = copied.dest
            if (copied.dest and target in paths) or posixpath.basename(match) == name:
                yield _Candidate(contextfiles.clean(match), True)


def _final_workdir(chain: list[Stage]) -> str:
    workdir = "/"
    for stage in reversed(chain):
        for node in stage.instructions_of("workdir"):
            if node.reading.args:
                workdir = posixpath.normpath(posixpath.join(workdir, node.reading.args[0]))
    return workdir


def _steps_down_at_start(chain: list[Stage], context: Context) -> str | None:
    """Why the image steps down from root itself when it starts (its
    entrypoint or the script of the build context it runs uses gosu, su-exec,
    ...), or cannot be shown not to; None when it does not."""
    for stage in chain:
        for node in stage.instructions:
            if node.keyword in ("run", "copy", "add"):
                m = _STEP_DOWN_TOOLS.search(_script_text(node))
                if m:
                    return f"it installs `{m.group(1)}`, which steps down from root at start"
    entries = _entry_instructions(chain)
    for node in entries:
        found = _steps_down(" ".join(node.reading.args))
        if found:
            return f"its {node.keyword.upper()} steps down from root itself (`{found}`)"
    workdir = _final_workdir(chain)
    copies = _copies(chain)
    read: set[str] = set()
    for node in entries:
        for token in _entry_tokens(node):
            paths = _image_paths(token, workdir)
            missing: str | None = None
            seen = False  # a file the token may name was read
            for candidate in (
                c for copied in copies for c in _candidates(copied, token, paths, context)
            ):
                text = candidate.content
                if text is None:
                    if candidate.path in read or len(read) >= _MAX_SCRIPTS:
                        continue
                    read.add(candidate.path)
                    text = contextfiles.read_small(context, candidate.path, _SCRIPT_LIMIT)
                if text is None:
                    if candidate.named and missing is None:
                        missing = candidate.path
                    continue
                seen = True
                found = _steps_down(text, _is_shell(text, token))
                if found:
                    return f"its entrypoint `{token}` steps down from root itself (`{found}`)"
            if missing is not None and not seen and _scriptish(token):
                return (
                    f"its entrypoint `{token}` comes from the build context (`{missing}`), "
                    "which could not be read to check that it does not step down from root "
                    "itself (gosu, su-exec; is the build context right?)"
                )
    return None


def _scriptish(token: str) -> bool:
    return token.endswith((".sh", ".bash")) or "entrypoint" in token.lower()


def _is_shell(text: str, token: str) -> bool:
    """Whether `text` is a shell script (by its `#!` line, else by its name)."""
    if text.startswith("#!"):
        return bool(_SHEBANG_SHELL.match(text))
    return token.endswith((".sh", ".bash"))


def _chain(tree: Dockerfile) -> list[Stage]:
    all_stages = stages(tree)
    if not all_stages or all_stages[-1].from_ is None:
        return []
    return ancestry(all_stages, all_stages[-1])


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    chain = _chain(tree)
    if not chain:
        return
    image = chain[-1].image
    if image.lower() == "scratch" or _NON_ROOT_IMAGES.search(image):
        return
    users = [i for s in reversed(chain) for i in s.instructions_of("user")]
    last = users[-1].reading.args[0] if users and users[-1].reading.args else None
    if last is not None and not _ROOT.match(last):
        return
    final = chain[0]
    from_: Instruction = final.from_  # type: ignore[assignment]
    what = "last USER is root" if last else "final stage runs as root"
    if not _entry_instructions(chain):
        # A base image or a toolchain: images built FROM it run their RUNs
        # (`apk add`, `apt-get install`, `cargo install`) as its user.
        yield Finding(
            RULE,
            from_,
            f"{what}, but it has no CMD or ENTRYPOINT: a base image, which the images "
            "built FROM it need as root; no USER added (add it where an application starts)",
        )
        return
    stepping = _steps_down_at_start(chain, context)
    if stepping is not None:
        # As another user, its chown and gosu would fail.
        yield Finding(RULE, from_, f"{what}, but {stepping}; no USER added")
        return
    family = _family(chain)
    if family is None or not final.instructions:
        yield Finding(RULE, from_, f"{what}; add a system user and switch to it")
        return
    existing = _existing_user(chain, family)
    if existing is not None and existing.uid is None:
        who = f"`{existing.name}`" if existing.name else "the user the file creates"
        yield Finding(
            RULE,
            from_,
            f"{what}; switch to {who} with a numeric `USER uid` (give it a fixed UID "
            "where it is created, so that runAsNonRoot can check it)",
        )
        return
    anchor = _anchor(list(final.instructions))
    if anchor.lines and anchor.lines[-1].continued and not anchor.heredocs:
        # The file ends inside this instruction: a line after it would join it.
        yield Finding(RULE, from_, f"{what}; add a system user and switch to it")
        return
    yield _fix(tree, final, existing, family, what)


def _quoted(name: str | None) -> str:
    return f"`{name}`" if name else "the user the file creates"


def _anchor(body: list[Instruction]) -> Instruction:
    """The last instruction that needs root (or a USER root): USER goes after it."""
    needs_root = [n for n, i in enumerate(body) if i.keyword in _ROOT_WORK | {"user"}]
    return body[needs_root[-1] if needs_root else len(body) - 1]


def _fix(
    tree: Dockerfile, stage: Stage, existing: Existing | None, family: str, what: str
) -> Finding:
    style = tree.style
    body = list(stage.instructions)
    if existing is not None:
        assert existing.uid is not None
        # A name that is not literal (`${USER}` of a shell variable) is never
        # written: BuildKit would read another variable, or none.
        user, switch_to = existing.name or "the user the file creates", existing.uid
        owner = existing.name or existing.uid
        if existing.name is not None and existing.group:
            owner = f"{existing.name}:{existing.name}"
    else:
        user, switch_to, owner = USER, f"{UID}:{UID}", f"{USER}:{USER}"

    # Changes by node; each node gets one Edit, so edits never overlap.
    before: dict[int, list[Node]] = {}
    after: dict[int, list[Node]] = {}
    replaced: dict[int, Instruction] = {}

    # The user is created where the stage first works as root, so that later
    # copies can --chown to it; the working directory at that point is its own.
    first_work = next((n for n, i in enumerate(body) if i.keyword in _ROOT_WORK), len(body))
    workdir = "/"
    for node in body[:first_work]:
        if node.keyword == "workdir" and node.reading.args:
            workdir = posixpath.normpath(posixpath.join(workdir, node.reading.args[0]))
    create: Instruction | None = None
    if existing is None:
        if family == "alpine":
            commands_ = [f"addgroup -S -g {UID} {USER} && adduser -S -u {UID} -G {USER} {USER}"]
        else:
            commands_ = [
                f"groupadd --gid {UID} {USER} && "
                f"useradd --no-log-init --uid {UID} --gid {USER} --create-home {USER}"
            ]
        if workdir != "/":
            commands_.append(f"chown {USER}:{USER} {workdir}")
        create = style.instruction("RUN", style.and_lines(commands_))
        if first_work < len(body):
            spacing: list[Node] = [Blank(style.newline)] if style.blank_lines else []
            before.setdefault(id(body[first_work]), []).extend([create, *spacing])

    # --chown on the copies into the working directory, once the user exists.
    workdir = "/"
    for n, node in enumerate(body):
        if node.keyword == "workdir" and node.reading.args:
            workdir = posixpath.normpath(posixpath.join(workdir, node.reading.args[0]))
        if node.keyword not in ("copy", "add") or node.reading.flag("chown") is not None:
            continue
        if workdir == "/" or not node.reading.args or (existing is None and n < first_work):
            continue
        dest = posixpath.normpath(posixpath.join(workdir, node.reading.args[-1]))
        if dest == workdir or dest.startswith(workdir + "/"):
            replaced[id(node)] = set_flag(node, "chown", owner)

    # USER after the last instruction that needs root (or a USER root).
    anchor = _anchor(body)
    switch: list[Instruction] = [style.instruction("USER", switch_to)]
    if create is not None and first_work == len(body):
        switch.insert(0, create)  # nothing runs as root: create the user here
    after.setdefault(id(anchor), []).extend(style.spaced(switch))

    edits: list[Edit] = []
    for node in body:
        key = id(node)
        if key not in before and key not in after and key not in replaced:
            continue
        current = replaced.get(key, node)
        # What goes before an instruction goes above the comments over it.
        above = tree.comments_above(node) if key in before else ()
        edits.append(
            Edit((*above, node), (*before.get(key, []), *above, current, *after.get(key, [])))
        )
    return Finding(
        RULE,
        stage.from_,  # type: ignore[arg-type]
        f"{what}; add the user `{user}` and switch to it (`USER {switch_to}`) before CMD"
        if existing is None
        else f"{what}; switch to {_quoted(existing.name)} (`USER {switch_to}`) before CMD",
        Fix(tuple(edits), Safety.UNSAFE, f"Run as {switch_to}", postcondition=POSTCONDITION),
    )
