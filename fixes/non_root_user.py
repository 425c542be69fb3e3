"""## What it does
Finds a final stage that runs as root (no `USER`, or the last `USER` is root)
and makes it run as a system user: it adds the user with the command of the
base image's family (Debian/Ubuntu and the RHEL family: `groupadd`/`useradd`;
Alpine: `addgroup`/`adduser`), gives the user the working directory and the
files copied into it (`--chown`), and switches with `USER` after the last
instruction that needs root, before `CMD`/`ENTRYPOINT`.

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
RUN groupadd --system app && useradd --system --gid app --create-home app \\
    && chown app:app /app
COPY --chown=app:app . .
RUN pip install -r requirements.txt
USER app
CMD ["python", "app.py"]
```

## Fix safety
Unsafe: the application then runs as another user. Files it writes outside
its working directory, ports below 1024 and installs at run time can fail.
The user is created before the first `COPY`/`ADD`/`RUN` of the stage so that
`--chown` can name it; a user the file already creates (`useradd`/`adduser`)
is reused. Skipped: `scratch`, distroless and Chainguard images, images that
already run as non-root, and a final stage built `FROM` a stage of the file
that switched to a non-root user. An unknown image family, or one that may
lack `useradd` (`ubi-minimal`, Amazon Linux), is reported without a fix.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from dockfix.build import instruction
from dockfix.editing import set_flag
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import keeps
from dockfix.shell import commands
from dockfix.stages import Stage, ancestry, stages
from dockfix.tree import Dockerfile, Instruction

RULE = Rule(
    code="DF009",
    name="non-root-user",
    summary="The final stage runs as root",
    safety=Safety.UNSAFE,
    hadolint="DL3002",
)
# What BuildKit must read in the output: only these parts may change.
POSTCONDITION = keeps("steps", "history", "config.user")

USER = "app"
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


def _existing_user(chain: list[Stage]) -> str | None:
    for stage in chain:
        for run in stage.instructions_of("run"):
            for cmd in commands(run.reading.rest) or []:
                if (
                    cmd.name in ("useradd", "adduser")
                    and cmd.args
                    and not cmd.args[-1].startswith("-")
                ):
                    return cmd.args[-1]
    return None


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
    what = "last USER is root" if last else "final stage runs as root"
    family = _family(chain)
    if family is None or not final.instructions:
        yield Finding(RULE, final.from_, f"{what}; add a system user and switch to it")  # type: ignore[arg-type]
        return
    yield _fix(tree, final, _existing_user(chain), family, what)


def _fix(tree: Dockerfile, stage: Stage, existing: str | None, family: str, what: str) -> Finding:
    nl, esc = tree.newline, tree.escape
    body = list(stage.instructions)
    user = existing or USER
    upper = not stage.from_.keyword_as_written.islower()  # type: ignore[union-attr]

    def kw(keyword: str) -> str:
        return keyword.upper() if upper else keyword.lower()

    # Changes by node; each node gets one Edit, so edits never overlap.
    before: dict[int, list[Instruction]] = {}
    after: dict[int, list[Instruction]] = {}
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
            command = f"addgroup -S {user} && adduser -S -G {user} {user}"
        else:
            command = (
                f"groupadd --system {user} && useradd --system --gid {user} --create-home {user}"
            )
        if workdir != "/":
            command += f" {esc}{nl}    && chown {user}:{user} {workdir}"
        create = instruction(f"{kw('RUN')} {command}{nl}", esc)
        if first_work < len(body):
            before.setdefault(id(body[first_work]), []).append(create)

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
            replaced[id(node)] = set_flag(node, "chown", f"{user}:{user}")

    # USER after the last instruction that needs root (or a USER root).
    needs_root = [n for n, i in enumerate(body) if i.keyword in _ROOT_WORK | {"user"}]
    anchor = body[needs_root[-1] if needs_root else len(body) - 1]
    switch = [instruction(f"{kw('USER')} {user}{nl}", esc)]
    if create is not None and first_work == len(body):
        switch.insert(0, create)  # nothing runs as root: create the user here
    after.setdefault(id(anchor), []).extend(switch)

    edits: list[Edit] = []
    for node in body:
        key = id(node)
        if key not in before and key not in after and key not in replaced:
            continue
        current = replaced.get(key, node)
        edits.append(Edit((node,), (*before.get(key, []), current, *after.get(key, []))))
    return Finding(
        RULE,
        stage.from_,  # type: ignore[arg-type]
        f"{what}; add the system user `{user}` and switch to it before CMD",
        Fix(tuple(edits), Safety.UNSAFE, f"Run as {user}", postcondition=POSTCONDITION),
    )
