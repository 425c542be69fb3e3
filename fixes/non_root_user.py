"""## What it does
Finds a final stage that runs as root (no `USER` on an image whose own user
is root, or the last `USER` is root; Gitpod's workspace images, Jupyter's,
Jenkins, CircleCI's `cimg`, code-server and Selenium's run as a user of their
own) and, when it starts an application (a `CMD` or `ENTRYPOINT` in it or in the
stages of the file it is built `FROM`) without stepping down from root by
itself, makes it run as an unprivileged user. It adds the user `app` with
the fixed UID and GID 10001 and the command of the base image's family
(Debian/Ubuntu and the RHEL family: `groupadd`/`useradd`; Alpine:
`addgroup`/`adduser`), gives the user the stage's final working directory,
the folders the stage's `RUN`s make in it (`mkdir logs`) and the files
copied into it (`--chown`), and switches with a numeric `USER 10001:10001`
after the last instruction that needs root, before `CMD`/`ENTRYPOINT` (the
message names the one the image has).

The user is created where the stage first works as root after its last
`WORKDIR` (before `USER`), in one `RUN` that also chowns the working
directory, so that the copies after it can `--chown` to it. Folders made
after that point (`RUN mkdir logs`, a working directory a `RUN mkdir` made
before a later `WORKDIR` enters it) are chowned, not recursively, in one
`RUN chown` right before `USER`, or with `&& chown` at the end of the RUN
before `USER` when that RUN is a single command (two such RUNs side by
side are hadolint's DL3059). A `WORKDIR` after `USER` is made by the user
already.

## Why is this bad?
A process running as root in a container is root on the container's
filesystem and, after any escape, much closer to root on the host. Most
applications need no privileges at run time.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask
WORKDIR /app
COPY . .
RUN mkdir logs
CMD ["python", "app.py"]
```

Use instead:
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask
WORKDIR /app
RUN groupadd --gid 10001 app && useradd --no-log-init --uid 10001 --gid app --create-home app \\
    && chown app:app /app
COPY --chown=app:app . .
RUN mkdir logs && chown app:app /app/logs
USER 10001:10001
CMD ["python", "app.py"]
```

## Fix safety
Unsafe: the application then runs as another user. Files it writes outside
its working directory, ports below 1024 and installs at run time can fail.
`USER` is numeric, so that Kubernetes' `runAsNonRoot` can check it without
reading the image's `/etc/passwd` (and hadolint's DL3066 holds); the named
user still exists for tools that want a name and a home. `--no-log-init`
keeps `useradd` from writing a large sparse `lastlog`. A user the file
already creates (`useradd`/`adduser`) is reused when its UID is written in
the command (`-u 1000`, `--uid 1000`): `USER 1000`, and the folders are
chowned to it before `USER` unless they are the home its command creates
(what root makes inside that home, a `WORKDIR` or a `RUN mkdir`, is root's
and is chowned). So is the user an official image creates for the
application, where the file creates none: the Node.js images' `node` (UID
and GID 1000, in their Debian and Alpine variants: `USER 1000`,
`--chown=node:node`) and, since .NET 8, the .NET images' `app` (UID 1654,
their `$APP_UID`: `USER 1654`); creating another `app` there would fail, as
the group exists.
Without a literal UID it is reported without a fix, and a name that is not
literal (`adduser ${USER}` with a shell variable) is never written into
`USER`, `--chown` or `chown`, where BuildKit or the shell would read their
own variable instead. The post-condition checks that the build is the same
but for the added `RUN`s (creating the user, chowning folders) or a `chown`
appended to the last `RUN`, `--chown` on copies and `USER`, and that the
user owns the final working directory and the folders the `RUN`s make in it
when root made them.

Left without a USER; reported without a fix, except where running as root
is what the image is made for (the official server images, servers and
daemons that start as root, init systems, tools that need root's
capabilities, images that step down from root themselves, base images and
toolchains: marked *unreported* below): there nothing needs changing, and
nothing is reported unless the file writes `USER root` last (reported with
the reason, as hadolint's DL3002):
- a stage on an image not known to run as root (not an official one, nor
  .NET's) where nothing in the file shows it does (no `USER root`, no `RUN`
  of a package manager or `useradd` before any `USER`, which only root can
  run): the image may set a user of its own, as which the added `groupadd`
  would fail;
- *unreported*: a final stage built on an official server image whose own command starts
  as root and drops privileges itself, or writes where only root may
  (`nginx`, `httpd`, php's `apache` and `fpm` variants, `postgres`,
  `mysql`, `mariadb`, `mongo`, `redis`, `rabbitmq`, `tomcat`, `caddy`,
  `wordpress`, …): as another user the server may fail to start (nginx
  cannot make `/var/cache/nginx/client_temp`; a port below 1024 needs root
  where the runtime does not lower `ip_unprivileged_port_start`, as
  Kubernetes does not by default); for nginx the message names
  `nginxinc/nginx-unprivileged`;
- *unreported*: a final stage whose command (`CMD`, `ENTRYPOINT`, or a script of the
  build context they run, read as for the step-downs below; in a script of
  another language, a server named by its path in a string,
  `os.execv("/usr/sbin/unbound", …)`, or first in a list of arguments)
  starts a server made to start as root and drop privileges itself,
  whatever the base image
  (`nginx` installed from packages, `openresty`, their `-debug` builds,
  `httpd`, `apache2ctl`,
  `apache2-foreground`, `httpd-foreground`, `php-fpm*`, `sshd`,
  `supervisord`, `squid`, `named`, `vsftpd`, `dovecot`, `postfix`, `smbd`,
  `openvpn`, `dnsmasq`, `xinetd`, `lighttpd`, `proftpd`, `pure-ftpd`,
  `rsync --daemon`, the telephony servers `asterisk`, `kamailio` and
  `opensips`, and daemons that need root's capabilities to start:
  `ntpd`, `chronyd`, `unbound`, `nsd`, `pdns_server`, `dhcpd`, `kea-dhcp4`,
  `keepalived`, `ipsec`, `charon`, `xl2tpd`, `pppd`, `slapd`, `rsyslogd`,
  `cupsd`, `exim`, `radiusd`; database servers installed from packages:
  `mysqld`, `mariadbd`, `sqlservr`, `mongod`, `redis-server`, whose data
  folders belong to the user the package creates), a network tool that
  needs root's capabilities (`nmap`, `masscan`, `zmap`, `naabu`,
  `tcpdump`, `tshark`, `hping3`, `arp-scan`, `iptables`, `nft`,
  `wg-quick`: raw sockets or network administration), an agent that manages
  the host or its containers (`kube-proxy`, `kubelet`, `cadvisor`,
  `dockerd`, `containerd`), or an init system
  (`/sbin/init`, `systemd`): as another user nginx cannot write its pid
  file (`/run/nginx.pid`) and exits;
- *unreported*: a base image or a toolchain (`stages.is_base_image`): a final stage with
  neither `CMD` nor `ENTRYPOINT` in it or in the stages of the file it is
  built `FROM`, or whose command only starts an interactive shell (`bash`,
  `sh`), a REPL with no script (`python3`, `node`, `irb`, `jshell`,
  `php -a`, `ghci`, `R`, `iex`, `erl`) or a build tool with no goal
  (`mvn`, `gradle`, `sbt`, `lein`), or whose `ENTRYPOINT` is a script of
  the build context that runs the command it is given (`exec "$@"`) while
  no `CMD` gives one, or with `ONBUILD` triggers, which run
  in the builds of the images `FROM` it. Its users build `FROM` it and run
  their `apk add`, `apt-get install` or `mvn package` as its user. A stage with no
  command may also run its base image's command, which dockfix does not
  know (the fix decides on the file as it is: when missing-cmd adds a `CMD`
  from the project's files, the user is added in the next round);
- a last `USER root` written in the file (in the final stage or a stage it
  is built `FROM`), or a comment line there that says the image runs as
  root on purpose ("Running as root for isolate and cgroup operations",
  "needs root privileges"; not one that also says the opposite, "must not
  run as root"): running as root is then the author's decision. With a
  suppression comment over it (`# hadolint ignore=DL3002`,
  `# dockfix: ignore=non-root-user` or `DF009`), where hadolint reports
  DL3002, nothing is reported;
- *unreported*: images that step down from root themselves when they start, as their
  entrypoint's `chown` and step down would fail as another user: a chain of
  stages that installs `gosu` or `su-exec` (in a `RUN`, or copied from an
  image), or whose `CMD`/`ENTRYPOINT` runs `gosu`, `su-exec`, `su`,
  `setpriv`, `s6-setuidgid`, `runuser`, `chroot --userspec`, `chpst -u`,
  `sudo -u` or `cron` (which runs each job as its user), itself or in a
  script it names that the stages copy from the build context (or write
  with `COPY <<EOF`). Such a script is read from the build context (up to
  256 KiB, 8 files; in a file that is not a shell script, `su`, `sudo` and
  `cron` are not looked for, as other languages use the words); images
  whose entrypoint is s6-overlay's `/init` (LinuxServer.io's, Home
  Assistant's add-on bases, `FROM $BUILD_FROM`) where the file sets no
  `ENTRYPOINT` of its own; a `*.sh`
  or `*entrypoint*` script copied by name that cannot be read there (the
  build context is unknown or another one, a link leads out of it, the
  script is too large), or copied from a path a variable names
  (`COPY ${ENTRYPOINT_PATH} /docker-entrypoint.sh`), is reported (whether it
  steps down is not known);
- a stage whose `RUN`s make folders in its working directory under names
  that are not literal (`mkdir "cache/$ID"`), which could not be chowned,
  or whose last `RUN` is one command that `&& chown` cannot follow (it
  ends in a comment);
- an application that needs root by what the file shows: its environment
  points into `/root` (root's home, mode 0700), a `VOLUME` outside its
  working directory, or anywhere where that is `/` (root made it, and a new
  volume takes its owner), a `chmod` (or `COPY --chmod`) that leaves the
  script its `CMD`/`ENTRYPOINT` runs executable by root and its group only
  (`chmod 750`, `chmod u+x` of a file copied as 644), a
  port below 1024 in `EXPOSE`, in an environment variable named `*PORT` (variables
  expanded, build arguments at their defaults) or in its command
  (`-b 0.0.0.0:80`: binding
  it needs root where the runtime does not lower
  `ip_unprivileged_port_start`, as Kubernetes does not by default), or a
  `RUN` that writes configuration into root's home for the tools the
  application runs (`git config --global`, `~/.npmrc`, `~/.ssh`,
  `/root/.m2/settings.xml`: another user reads its own), or a
  `RUN` that writes, as root, files the application writes at run time
  (`manage.py migrate`'s SQLite database, `rails db:…`, `next build`'s
  cache, `flask db upgrade`, `alembic upgrade`): the chown here is not
  recursive;
- a final working directory that is a system folder (`/bin`, `/usr/local`,
  `/etc`, `/tmp`, …: not the application's to own, and the files copied
  there would become the user's), or that names a variable (BuildKit
  expands it, an unset one to nothing; a `chown` in a `RUN` would read the
  shell's variable instead);
- an unknown image family, or one that may lack `useradd` (`ubi-minimal`,
  Amazon Linux), a stage whose `RUN`s do not run in a POSIX shell
  (`SHELL ["powershell", …]`, a Windows image), and a stage whose file ends
  inside a continued instruction.

Skipped: `scratch`, distroless and Chainguard images, images that already
run as non-root, and a final stage built `FROM` a stage of the file that
switched to a non-root user. New lines follow the file's conventions:
keyword case (the majority's), continuation indent, `&&` at line start or
end, blank lines between instructions.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockfix import contextfiles, images
from dockfix.contextfiles import Kind
from dockfix.editing import edit, set_flag
from dockfix.packages import (
    ShellRun,
    append,
    appendable,
    appended_piece,
    official_root_image,
    posix_shell,
    program,
)
from dockfix.registry import FixModule
from dockfix.rewrites import (
    COPY_DEST,
    RUN_COMMAND,
    RUN_CWD,
    RUN_ENV,
    RUN_HEREDOCS,
    RUN_USER,
    Step,
    copy_gains_flag,
    mkdir_user_changed,
    rewrites,
    script_rewritten,
    step_added,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import expand, model, points
from dockfix.shell import Command, Word, commands, tokens
from dockfix.stages import (
    Stage,
    ancestry,
    command_line,
    entry_instructions,
    has_onbuild,
    is_base_image,
    stages,
)
from dockfix.suppressions import Suppressions
from dockfix.tree import Blank, Comment, Dockerfile, Instruction, Node
from dockfix.words import is_unknown

RULE = Rule(
    code="DF009",
    name="non-root-user",
    summary="The final stage runs as root",
    safety=Safety.UNSAFE,
    hadolint="DL3002",
)
# What BuildKit must read in the output: only these parts may change.


_USER_COMMANDS = frozenset({"groupadd", "addgroup", "useradd", "adduser", "chown"})


def _adds_user_or_chown(step: Step) -> str | None:
    """The added RUNs: one that creates the user (and chowns folders to it),
    and one that only chowns folders, not recursively."""
    command = step[RUN_COMMAND]
    script = str(command[-1]) if isinstance(command, tuple) and command else ""
    found: tuple[Command, ...] = commands(script) or ()
    names = {c.name for c in found}
    if not names or not names <= _USER_COMMANDS:
        return "the added RUN does more than create the user and chown folders"
    if {"useradd", "adduser"} & names:
        return None
    if names == {"chown"} and not any(_recursive(c) for c in found):
        return None
    return "the added RUN does more than chown folders"


def _recursive(cmd: Command) -> bool:
    return any(
        a == "--recursive" or (a.startswith("-") and not a.startswith("--") and "R" in a)
        for a in cmd.args
    )


def _owns_its_folders(before: Dockerfile, after: Dockerfile) -> str | None:
    """The user `USER` switches to owns the final working directory and the
    folders the stage's RUNs make in it, when root made them: a RUN chowns
    each to it after it is made (a user's home is its own already)."""
    built = model(after).stages
    if not built:
        return None
    stage = built[-1]
    user, final = stage.config.get("user"), stage.config.get("workdir")
    if not isinstance(user, str) or not user or is_unknown(user) or _ROOT.match(user):
        return None
    if not isinstance(final, str) or is_unknown(final) or not final.startswith("/"):
        return None
    final = _clean(final)
    if final == "/":
        return None
    chain = _chain(before)
    family = _family(chain) if chain else None
    existing = (_existing_user(chain, family) if family else None) or _image_user(chain)
    home = existing.home if existing is not None else None
    owners = {user.partition(":")[0]}
    if existing is not None and existing.name is not None and existing.uid in owners:
        owners.add(existing.name)
    # When each folder is first made and each chown runs: (step, script, command).
    made: dict[str, tuple[int, int, int]] = {}
    chowns: list[tuple[tuple[int, int, int], str, str, bool]] = []  # owner, path, -R
    for n, step in enumerate(stage.steps):
        kind = step[0]
        if kind == "mkdir" and _root_user(step[2]) and _clean(str(step[1])) == final:
            made.setdefault(final, (n, 0, 0))
        elif kind in ("copy", "add"):
            dest = step[COPY_DEST]
            if isinstance(dest, str) and not is_unknown(dest) and dest.startswith("/"):
                dest = _clean(dest)
                if dest == final or _inside(dest, final):
                    made.setdefault(final, (n, 0, 0))
        elif kind == "run" and _root_user(step[RUN_USER]):
            cwd = str(step[RUN_CWD]) or "/"
            env = dict(step[RUN_ENV])  # type: ignore[call-overload]
            for k, script in enumerate(_step_scripts(step)):
                folders, _ = _mkdirs(script, cwd)
                for at, folder in folders:
                    if folder == final or _inside(folder, final):
                        made.setdefault(final, (n, k, at))
                    if _inside(folder, final):
                        made.setdefault(folder, (n, k, at))
                for at, cmd in enumerate(commands(script) or ()):
                    if cmd.name in ("useradd", "adduser"):
                        owners |= _named_with_uid(cmd, owners)
                    elif cmd.name == "chown":
                        chowns.extend(((n, k, at), *c) for c in _chowned(cmd, cwd, env))
    for folder, when in made.items():
        if home is not None and folder == home:
            continue
        if home is None and existing is not None and posixpath.dirname(folder) == "/home":
            continue
        if not any(
            at > when
            and owner.partition(":")[0] in owners
            and (path == folder or (recursive and _inside(folder, path)))
            for at, owner, path, recursive in chowns
        ):
            return f"{folder}, made as root, is not handed to the user {user}"
    return None


def _root_user(user: object) -> bool:
    """Root, or the base image's user (root, as the fix found the stage)."""
    return isinstance(user, str) and (not user or is_unknown(user) or _ROOT.match(user) is not None)


def _clean(path: str) -> str:
    """A path cleaned as Go cleans it (`//app/` is `/app`)."""
    return posixpath.normpath("/" + path.lstrip("/"))


def _step_scripts(step: Step) -> list[str]:
    command = step[RUN_COMMAND]
    scripts = []
    if isinstance(command, tuple) and len(command) >= 3 and command[-2] == "-c":
        scripts.append(str(command[-1]))  # the script a shell runs (SHELL may be bash)
    heredocs = step[RUN_HEREDOCS]
    if isinstance(heredocs, tuple):
        scripts.extend(str(h[2]) for h in heredocs if isinstance(h, tuple))
    return scripts


def _named_with_uid(cmd: Command, owners: set[str]) -> set[str]:
    """The name `useradd`/`adduser` gives a UID among `owners`, if it does."""
    for table in (cmd.name, "busybox-adduser") if cmd.name == "adduser" else (cmd.name,):
        positional, options = _parse(cmd, table)
        uid = next((options[o] for o in _UID_OPTIONS if o in options), None)
        if uid in owners and positional:
            return {positional[-1].value}
    return set()


def _chowned(cmd: Command, cwd: str, env: dict[str, str]) -> Iterator[tuple[str, str, bool]]:
    """(owner, folder, recursive) for each path a `chown` names, its
    variables read from the RUN's environment."""
    words = [w for w in cmd.words[1:] if not w.value.startswith("-")]
    if len(words) < 2:
        return
    recursive = _recursive(cmd)
    for word in words[1:]:
        path = expand(word.text, env.get, "\\")
        if is_unknown(path):
            continue
        yield words[0].value, _clean(posixpath.join(cwd, path)), recursive


def _chown_appended(old: str, new: str) -> str | None:
    """The RUN's script with a `chown` (not recursive) appended, as
    `packages.append` appends it."""
    before, after = tokens(old), tokens(new)
    if before is None or after is None or after[: len(before)] != before:
        return "the RUN's script changed"
    piece = after[len(before) :]
    if len(piece) < 4 or piece[1] != "chown" or any(w.startswith("-") for w in piece[2:]):
        return "what was appended is not a chown"
    return None if appended_piece(old, piece, piece[1:]) else "not appended as a command"


# What BuildKit must read in the output: the same build but for the added RUNs
# that create the user and chown folders to it (or a chown appended to the
# last RUN), `--chown` on copies, the user that later WORKDIRs create their
# folder as, and the image's user (history aside); and the user owns the
# working directory and the folders made in it.
_ALIGNED = rewrites(
    step_added("run", _adds_user_or_chown),
    script_rewritten(_chown_appended),
    copy_gains_flag("chown"),
    mkdir_user_changed,
    allowed=("history", "config.user"),
)


def POSTCONDITION(before: Dockerfile, after: Dockerfile) -> str | None:
    return _ALIGNED(before, after) or _owns_its_folders(before, after)


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
    if images.image_user(image) is not None:
        return "debian"  # .NET's images: Debian or Ubuntu where the tag names no other
    return None


@dataclass(frozen=True)
class Existing:
    """A user the file creates: its name and UID when written literally."""

    name: str | None  # None: not a literal name (`${USER}`, `"$NAME"`)
    uid: str | None  # digits, or None when the command does not fix it
    group: bool  # a group of the same name is created too
    home: str | None = None  # its home folder (the user owns it), when known


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
_HOME_OPTIONS = ("-d", "--home-dir", "--home", "-h")
# A path written into the added `chown` as it is (no quoting needed).
_LITERAL_PATH = re.compile(r"/[A-Za-z0-9_./@%+=:,-]*\Z")
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
            elif (
                re.fullmatch(r"-[A-Za-z]{2,}", value)
                and f"-{value[-1]}" in valued
                and i + 1 < len(words)
            ):
                options[f"-{value[-1]}"] = words[i + 1].value  # -ms /bin/sh
                i += 1
        else:
            positional.append(words[i])
        i += 1
    return positional, options


# Commands that only root can run: a RUN that ran one (not through sudo)
# ran as root.
_ROOT_COMMANDS = frozenset(
    {"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "dpkg", "rpm"}
    | {"useradd", "groupadd", "adduser", "addgroup", "usermod"}
)


def _runs_as_root(chain: list[Stage]) -> bool:
    """Whether the stage provably starts as root: its chain starts from an
    official (or a vendor's) image known to run as root, or sets `USER root` before any other
    `USER`, or a `RUN` before any `USER` runs a command only root can (a
    package manager, `useradd`), which the build then ran as root."""
    if official_root_image(chain[-1].image) or images.vendor_root_image(chain[-1].image):
        return True
    for stage in reversed(chain):
        for node in stage.instructions:
            if node.keyword == "user":
                args = node.reading.args
                return bool(args) and _ROOT.match(args[0]) is not None
            if node.keyword == "run":
                for script in _run_scripts(node):
                    if any(c.name in _ROOT_COMMANDS for c in commands(script) or ()):
                        return True
    return False


def _image_user(chain: list[Stage]) -> Existing | None:
    """The unprivileged user the base image creates for its application
    (official Node.js images: `node`, UID 1000), when a chain of stages
    starts from one (`images.image_user`)."""
    found = images.image_user(chain[-1].image) if chain else None
    if found is None:
        return None
    name, uid, home = found
    return Existing(name, uid, True, home)


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
                home = _home(cmd, table, name, options)
                found = Existing(name, uid, False, home)
    if found is not None and found.name in groups:
        found = Existing(found.name, found.uid, True, found.home)
    return found


# Commands an entrypoint started as root uses to run the application as
# another user: as that user already, they fail ("operation not permitted").
# cron too: it runs each job as the user whose crontab holds it.
_STEP_DOWN = re.compile(
    r"""(?:^|(?<=[\s;&|(`'"/]))(?:"""
    r"""(?P<name>gosu|su-exec|setpriv|s6-setuidgid|runuser|su|cron|crond)(?=[\s'";&|)]|$)"""
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
        if shell or found not in ("su", "sudo", "cron", "crond"):
            return found if m.group("name") else m.group(0).strip()
    return None


def _every_cmd_and_entrypoint(chain: list[Stage]) -> list[Instruction]:
    """Every CMD and ENTRYPOINT of the chain, also those a later one replaces
    (what may step down from root is looked for in all of them; the image's
    own are `stages.entry_instructions`)."""
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
                workdir = posixpath.normpath(posixpath.join(workdir, _workdir_word(node)))
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
                # `COPY ${ENTRYPOINT_PATH} /docker-entrypoint.sh`: a file that
                # cannot be read, where the token names its destination.
                if copied.dest and not copied.into and copied.dest in paths:
                    yield _Candidate(match, True)
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


def _workdir_word(node: Instruction) -> str:
    """A WORKDIR's path as BuildKit reads it where quotes only wrap it
    (`WORKDIR "/workspace"`); as written otherwise."""
    word = node.reading.args[0]
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
        inner = word[1:-1]
        if not any(c in inner for c in "'\"\\$"):
            return inner
    return word


def _final_workdir(chain: list[Stage]) -> str:
    workdir = "/"
    for stage in reversed(chain):
        for node in stage.instructions_of("workdir"):
            if node.reading.args:
                workdir = posixpath.normpath(posixpath.join(workdir, _workdir_word(node)))
    return workdir


# A line of an entrypoint script that runs the arguments it was given.
_RUNS_ARGUMENTS = re.compile(r'^[ \t]*(?:exec[ \t]+)?"?\$(?:@|\{@\})"?[ \t]*$', re.MULTILINE)


def _hands_over_no_command(chain: list[Stage], scripts: _Scripts) -> bool:
    """Whether the image's ENTRYPOINT is a script that runs the command it is
    given (`exec "$@"`) and no CMD gives one: a base image to build FROM."""
    entrypoint, cmd = entry_instructions(chain)
    if entrypoint is None or cmd is not None:
        return False
    return any(shell and _RUNS_ARGUMENTS.search(text) for _, text, shell in scripts.read)


@dataclass(frozen=True)
class _Scripts:
    """The scripts of the build context the image's CMD/ENTRYPOINT may run."""

    read: list[tuple[str, str, bool]]  # (the word naming it, its text, a shell script)
    unreadable: str | None  # why a script it names could not be read


def _entry_scripts(chain: list[Stage], context: Context) -> _Scripts:
    """The scripts the stages copy (from the build context, or `COPY <<EOF`)
    where a word of a CMD/ENTRYPOINT names one (up to 8, 256 KiB each)."""
    workdir = _final_workdir(chain)
    copies = _copies(chain)
    read: set[str] = set()
    texts: list[tuple[str, str, bool]] = []
    unreadable: str | None = None
    for node in _every_cmd_and_entrypoint(chain):
        for token in _entry_tokens(node):
            paths = _image_paths(token, workdir)
            missing: str | None = None
            variable: str | None = None  # a source named by a variable put it there
            seen = False  # a file the token may name was read
            for candidate in (
                c for copied in copies for c in _candidates(copied, token, paths, context)
            ):
                text = candidate.content
                if "$" in candidate.path:
                    variable = variable or candidate.path
                    continue
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
                texts.append((token, text, _is_shell(text, token)))
            if variable is not None and not seen and unreadable is None:
                unreadable = (
                    f"its entrypoint `{token}` is copied from `{variable}`, a path named by a "
                    "variable, so it cannot be checked not to step down from root "
                    "itself (gosu, su-exec)"
                )
            if missing is not None and not seen and _scriptish(token) and unreadable is None:
                why = (
                    context.unknown()
                    if context.build_context is None
                    else f"`{missing}` could not be read there (is the build context right?)"
                )
                unreadable = (
                    f"its entrypoint `{token}` comes from the build context, so it cannot be "
                    f"checked not to step down from root itself (gosu, su-exec): {why}"
                )
    return _Scripts(texts, unreadable)


def _steps_down_at_start(chain: list[Stage], scripts: _Scripts) -> str | None:
    """Why the image steps down from root itself when it starts (its
    entrypoint or the script of the build context it runs uses gosu, su-exec,
    ...), or cannot be shown not to; None when it does not."""
    if images.s6_overlay_image(chain[-1].image) and not any(
        i.keyword == "entrypoint" for s in chain for i in s.instructions
    ):
        return f"`{chain[-1].image}` starts with s6-overlay's /init, which steps down itself"
    for stage in chain:
        for node in stage.instructions:
            if node.keyword in ("run", "copy", "add"):
                m = _STEP_DOWN_TOOLS.search(_script_text(node))
                if m:
                    return f"it installs `{m.group(1)}`, which steps down from root at start"
    for node in _every_cmd_and_entrypoint(chain):
        found = _steps_down(" ".join(node.reading.args))
        if found:
            return f"its {node.keyword.upper()} steps down from root itself (`{found}`)"
    for token, text, shell in scripts.read:
        found = _steps_down(text, shell)
        if found:
            return f"its entrypoint `{token}` steps down from root itself (`{found}`)"
    return scripts.unreadable


# Network tools that need root's capabilities: raw sockets (a SYN scan,
# packet capture) or network administration. As another user they fail or
# fall back to something else (naabu and nmap to a slower connect scan).
_PRIVILEGED_TOOLS = frozenset(
    {"nmap", "masscan", "zmap", "naabu", "tcpdump", "tshark", "dumpcap", "hping3"}
    | {"arp-scan", "iptables", "ip6tables", "nft", "wg-quick"}
    # Agents that manage the host or its containers (its network rules,
    # cgroups, the container runtime's files), run privileged.
    | {"kube-proxy", "kubelet", "cadvisor", "dockerd", "containerd"}
)
# Servers made to start as root and drop privileges themselves (the master
# writes its pid file and temporary folders, binds its ports, then runs its
# workers as the user its configuration names), and init systems.
_SERVERS = (
    r"nginx(?:-debug)?|openresty(?:-debug|-valgrind)?|httpd|apache2|apache2ctl|apachectl|apache2-foreground|httpd-foreground"
    r"|php-fpm[\d.]*|sshd|supervisord|squid|named|vsftpd|dovecot|postfix|smbd|openvpn"
    r"|dnsmasq|systemd|xinetd|inetd|lighttpd|proftpd|pure-ftpd"
    # Telephony servers: they bind SIP's port 5060 and drop to the user
    # their configuration or `-u` names.
    r"|asterisk|kamailio|opensips"
    # Daemons that need root's capabilities at start (setting the clock,
    # binding privileged sockets, a chroot) and drop to their own user.
    r"|ntpd|openntpd|chronyd|unbound|nsd|pdns_server|dhcpd|kea-dhcp[46]|keepalived"
    r"|ipsec|charon|xl2tpd|pppd|slapd|rsyslogd|cupsd|exim4?|radiusd|freeradius"
    # Database servers installed from packages: MySQL and MariaDB step down
    # to the `user` of their my.cnf; the others' data folders belong to the
    # user their package creates (`mssql`, `mongodb`, `redis`).
    r"|mysqld|mysqld_safe|mariadbd|mariadbd-safe|sqlservr|mongod|redis-server"
    r"|" + "|".join(re.escape(tool) for tool in sorted(_PRIVILEGED_TOOLS))
)
_SERVER = re.compile(rf"\A(?:\S*/)?({_SERVERS})\Z|\A\S*/(init)\Z")
# A line of a shell script that starts one (`exec nginx -g 'daemon off;'`),
# or rsync's daemon (port 873, a chroot and the `uid` of rsyncd.conf).
_SERVER_LINE = re.compile(
    rf"^[ \t]*(?:exec[ \t]+|service[ \t]+)?(?:(?:\S*/)?({_SERVERS})|\S*/(init))(?=[\s;&|)]|$)"
    r"|^[ \t]*(?:exec[ \t]+)?(?:\S*/)?(rsync)[ \t][^\n;&|]*--daemon\b",
    re.MULTILINE,
)


# In a script of another language (Mailu's start.py), a server named by its
# path in a string (`os.execv("/usr/sbin/unbound", …)`) or first in a list
# of arguments (`subprocess.run(["nginx", "-g", …])`).
_SERVER_LITERAL = re.compile(
    rf"""["']/(?:[\w.-]+/)*({_SERVERS})["']|\[\s*["'](?:\S*/)?({_SERVERS})["']"""
)


def _server(words: list[str]) -> str | None:
    """The server a command starts (`nginx`, `/usr/sbin/sshd -D`, `exec
    php-fpm`, `service nginx start`), if it is one that starts as root."""
    if words and words[0] == "exec":
        words = words[1:]
    if len(words) >= 2 and words[0] == "service":
        words = words[1:]
    m = _SERVER.match(words[0]) if words else None
    if m is None and words and words[0].rpartition("/")[2] == "rsync" and "--daemon" in words:
        return "rsync --daemon"
    return (m.group(1) or m.group(2)) if m else None


def _entry_commands(node: Instruction) -> list[list[str]]:
    """The commands a CMD/ENTRYPOINT runs: its words, or each command of the
    shell script it runs (shell form, or `sh -c "..."`)."""
    args = list(node.reading.args)
    if node.reading.json:
        shell = args and args[0].rpartition("/")[2] in ("sh", "bash", "ash", "dash", "zsh")
        if not (shell and "-c" in args[1:-1]):
            return [args]
        script = args[args.index("-c") + 1]
    else:
        script = node.reading.rest
    return [[c.name, *c.args] for c in commands(script) or ()]


def _starts_root_server(chain: list[Stage], scripts: _Scripts) -> str | None:
    """What in the image's command starts a server that starts as root and
    drops privileges itself (nginx, httpd, php-fpm, sshd, supervisord, ...)."""
    for node in entry_instructions(chain):
        if node is None:
            continue
        for words in _entry_commands(node):
            name = _server(words)
            if name:
                return f"its {node.keyword.upper()} starts `{name}`"
    for token, text, shell in scripts.read:
        m = (_SERVER_LINE if shell else _SERVER_LITERAL).search(text)
        if m:
            name = m.group(1) or m.group(2) or "rsync --daemon"  # the third branch
            return f"its entrypoint `{token}` starts `{name}`"
    return None


def _scriptish(token: str) -> bool:
    return token.endswith((".sh", ".bash")) or "entrypoint" in token.lower()


def _is_shell(text: str, token: str) -> bool:
    """Whether `text` is a shell script (by its `#!` line, else by its name)."""
    if text.startswith("#!"):
        return bool(_SHEBANG_SHELL.match(text))
    return token.endswith((".sh", ".bash"))


def _home(cmd: Command, table: str, name: str | None, options: dict[str, str]) -> str | None:
    """The home folder the command creates for the user (owned by it), if known:
    `useradd` with `-m`, `adduser` unless told not to."""
    flags = {w.value for w in cmd.words[1:]}
    # short options may be written together: `useradd -ms /bin/sh`, `adduser -DH`
    letters = {c for f in flags if re.fullmatch(r"-[A-Za-z]+", f) for c in f[1:]}
    if table == "useradd" and "m" not in letters and "--create-home" not in flags:
        return None
    if table == "adduser" and "--no-create-home" in flags:
        return None
    if table == "busybox-adduser" and "H" in letters:
        return None
    home = next((options[o] for o in _HOME_OPTIONS if o in options), None)
    if home is None and name is not None:
        home = f"/home/{name}"
    return _clean(home) if home is not None and _LITERAL_PATH.match(home) else None


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
    if images.runs_as_non_root(image) and not any(
        i.keyword == "user" for s in chain for i in s.instructions
    ):
        return  # the image's own user, not root (gitpod, jovyan, jenkins, …)
    users = [i for s in reversed(chain) for i in s.instructions_of("user")]
    last = users[-1].reading.args[0] if users and users[-1].reading.args else None
    if last is not None and not _ROOT.match(last):
        return
    if users and last is not None and _author_keeps_root(tree, users[-1]):
        return
    final = chain[0]
    from_: Instruction = final.from_  # type: ignore[assignment]
    what = "last USER is root" if last else "final stage runs as root"
    # Below, images made to start as root (a server that drops privileges
    # itself, an init, a tool that needs root's capabilities, an entrypoint
    # that steps down, a base image whose users build FROM it as root) are
    # not reported: running as root is what they are made for, and nothing
    # needs changing. A `USER root` the file writes last is reported all the
    # same (hadolint's DL3002), saying why no USER is added.
    if images.starts_server_as_root(image):
        if last is None:
            return
        other = images.unprivileged_variant(image)
        yield Finding(
            RULE,
            from_,
            f"{what}, but `{image}` starts its server as root, which drops privileges "
            "itself (as another user it may fail to start: folders only root may write, "
            "ports below 1024); no USER added"
            + (f" (`{other}` is made to run unprivileged)" if other else ""),
        )
        return
    scripts = _entry_scripts(chain, context)
    server = _starts_root_server(chain, scripts)
    if server is not None:
        if last is None:
            return
        nginx = "nginx" in server or "openresty" in server
        if server.endswith(("`init`", "`systemd`")):
            message = f"{what}, but {server}, an init system, which runs as root; no USER added"
        elif server.rpartition(" ")[2].strip("`") in _PRIVILEGED_TOOLS:
            message = (
                f"{what}, but {server}, which needs root's capabilities (raw sockets, "
                "network administration); no USER added"
            )
        else:
            message = (
                f"{what}, but {server}, a server made to start as root (and drop "
                "privileges itself) or as the user its package creates (as another user it "
                "may fail to start: its pid file and data folders belong to root or to that "
                "user); no USER added: run it "
                "unprivileged through its own configuration"
                + (" (or build on `nginxinc/nginx-unprivileged`)" if nginx else "")
            )
        yield Finding(RULE, from_, message)
        return
    if is_base_image(chain):
        # A base image or a toolchain: images built FROM it run their RUNs
        # (`apk add`, `apt-get install`, `mvn package`) as its user.
        if last is not None:
            yield Finding(RULE, from_, f"{what}, but {_base_image_reason(chain)}; no USER added")
        return
    if _hands_over_no_command(chain, scripts):
        # `ENTRYPOINT ["/entrypoint.sh"]` ending with `exec "$@"`, and no CMD:
        # the images built FROM it give the command (docker-hadoop's base).
        if last is not None:
            yield Finding(
                RULE,
                from_,
                f"{what}, but its ENTRYPOINT runs the command it is given and the file gives "
                "none: a base image, whose users build FROM it; no USER added",
            )
        return
    stepping = _steps_down_at_start(chain, scripts)
    if stepping is not None:
        # As another user, its chown and gosu would fail. An entrypoint that
        # could not be read is reported: whether it steps down is not known.
        if last is not None or stepping == scripts.unreadable:
            yield Finding(RULE, from_, f"{what}, but {stepping}; no USER added")
        return
    said = _root_by_comment(tree, chain)
    if said is not None:
        yield Finding(
            RULE,
            from_,
            f"{what}, and a comment of the file says so on purpose (`{said}`): running as "
            "root is the author's decision; no USER added",
        )
        return
    needs = _needs_root_at_run_time(tree, chain)
    if needs is not None:
        yield Finding(RULE, from_, f"{what}; add a user and switch to it ({needs})")
        return
    if last is not None:
        yield Finding(
            RULE,
            from_,
            f"{what}, written in the file: running as root is the author's decision; no USER "
            "added (if only the build needs root, switch back to an unprivileged user after "
            "the instructions that need it)",
        )
        return
    family = _family(chain) if posix_shell(stages(tree), final) else None
    if family is None or not final.instructions:
        why = (
            "its shell is not a POSIX shell"
            if not posix_shell(stages(tree), final)
            else f"dockfix does not know `{image}` to have `useradd` or `adduser`"
        )
        yield Finding(
            RULE, from_, f"{what}; add a system user and switch to it (not done here: {why})"
        )
        return
    existing = _existing_user(chain, family) or _image_user(chain)
    if existing is None and not _runs_as_root(chain):
        # Creating a user takes root; an image whose user is not known to be
        # root may set another one (the RUN would fail: permission denied).
        yield Finding(
            RULE,
            from_,
            f"{what} unless `{image}` sets a user of its own; add a user and switch to it"
            " (not done here: nothing shows the stage runs as root)",
        )
        return
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
        yield Finding(
            RULE,
            from_,
            f"{what}; add a system user and switch to it (not done here: the file ends "
            "inside its last instruction)",
        )
        return
    yield _fix(tree, final, existing, family, what)


def _author_keeps_root(tree: Dockerfile, user: Instruction) -> bool:
    """Whether a suppression comment for this rule (`# hadolint ignore=DL3002`,
    `# dockfix: ignore=non-root-user`) sits over the last `USER root`: the
    author switched the rule off there, where hadolint reports it."""
    return Suppressions(tree).suppressed(FixModule(RULE, check, __doc__ or ""), user)


def _base_image_reason(chain: list[Stage]) -> str:
    """Why `is_base_image` holds for the image, in a finding's words."""
    if has_onbuild(chain):
        return (
            "it has ONBUILD triggers: a base image, whose triggers (`ONBUILD RUN mvn "
            "package`) run in the builds of the images FROM it as its user"
        )
    entrypoint, cmd = entry_instructions(chain)
    if entrypoint is None and cmd is None:
        return (
            "it has no CMD or ENTRYPOINT of its own: a base image, which the images built "
            "FROM it need as root, or one that runs its base image's command, which dockfix "
            "does not know"
        )
    words = command_line(chain) or []
    return (
        f"its command (`{' '.join(words)}`) only starts a shell, a REPL or a build tool: "
        "a base image or toolchain, whose users build FROM it and run their RUNs "
        "(`apt-get install`, `mvn package`) as its user"
    )


def _before(chain: list[Stage]) -> str:
    """The instructions USER goes before: `ENTRYPOINT`, `CMD` or both."""
    return " and ".join(n.keyword.upper() for n in entry_instructions(chain) if n is not None)


def _quoted(name: str | None) -> str:
    return f"`{name}`" if name else "the user the file creates"


def _anchor(body: list[Instruction]) -> Instruction:
    """The last instruction that needs root (or a USER root): USER goes after it."""
    needs_root = [n for n, i in enumerate(body) if i.keyword in _ROOT_WORK | {"user"}]
    return body[needs_root[-1] if needs_root else len(body) - 1]


def _root_at(body: list[Instruction], root: bool) -> list[bool]:
    """Whether each instruction of the stage runs as root (`root`: at its start)."""
    found = []
    for node in body:
        found.append(root)
        if node.keyword == "user":
            root = bool(node.reading.args) and _ROOT.match(node.reading.args[0]) is not None
    return found


def _workdirs(body: list[Instruction]) -> list[str]:
    """The working directory in force at each instruction, and after the last."""
    found, current = [], "/"
    for node in body:
        found.append(current)
        if node.keyword == "workdir" and node.reading.args:
            current = posixpath.normpath(posixpath.join(current, _workdir_word(node)))
    return [*found, current]


def _run_scripts(node: Instruction) -> list[str]:
    """The shell scripts a RUN runs: its line, and its heredocs."""
    if node.reading.json:
        args = node.reading.args
        return [args[-1]] if len(args) >= 3 and args[-2] == "-c" else []
    return [node.reading.rest, *(h.content for h in node.heredocs)]


def made_folders(script: str, cwd: str) -> tuple[list[str], list[str]]:
    """The folders `mkdir` makes in `script` run in `cwd`: those written
    literally (absolute, cleaned), and the others as written (`$DIR`)."""
    literal, other = _mkdirs(script, cwd)
    return [path for _, path in literal], other


def _mkdirs(script: str, cwd: str) -> tuple[list[tuple[int, str]], list[str]]:
    """`made_folders`, each literal folder with the index of its command."""
    literal: list[tuple[int, str]] = []
    other: list[str] = []
    current: str | None = cwd
    for at, cmd in enumerate(commands(script) or ()):
        if cmd.name == "cd":
            target = cmd.args[-1] if cmd.args else "~"
            if current is None or target == "-" or _NOT_LITERAL.search(target):
                current = None
            else:
                current = posixpath.normpath(posixpath.join(current, target))
            continue
        if cmd.name != "mkdir":
            continue
        skip = False
        for word in cmd.words[1:]:
            if skip:
                skip = False
                continue
            value = word.value
            if value.startswith("-") and value != "-":
                # -m MODE takes the next word (also as -pm MODE)
                skip = not value.startswith("--") and value.endswith("m")
                continue
            if _NOT_LITERAL.search(word.text) or (current is None and not value.startswith("/")):
                other.append(word.text)
                continue
            literal.append((at, posixpath.normpath(posixpath.join(current or "/", value))))
    return literal, other


_NOT_LITERAL = re.compile(r"[$`*?\[{~]")


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


@dataclass
class _Handover:
    """The folders the user is given: in the RUN that creates it (they exist
    by then) and in a `chown` right before `USER` (they are made later)."""

    at_creation: list[str]
    before_user: list[str]
    unnamed: list[str]  # folders made in the working directory with names not literal


def _handover(
    body: list[Instruction],
    anchor: int,
    creation: int | None,
    existing: Existing | None,
) -> _Handover:
    """What to chown so that the user owns the stage's final working directory
    and the folders its RUNs make in it (`RUN mkdir logs`), whatever the order
    of WORKDIR, the user's creation and those RUNs. `creation` is where the
    new user is created (None: after `anchor`, with the switch)."""
    workdirs = _workdirs(body)
    final = workdirs[-1]
    root = _root_at(body, True)
    made: dict[str, int] = {}  # folder -> where it is first made before USER
    unnamed: list[str] = []
    for n in range(anchor + 1):
        node = body[n]
        if node.keyword == "workdir" and node.reading.args:
            made.setdefault(workdirs[n + 1], n)
        elif node.keyword in ("copy", "add") and node.reading.args:
            dest = node.reading.args[-1]
            if not _NOT_LITERAL.search(dest):
                dest = posixpath.normpath(posixpath.join(workdirs[n], dest))
                if dest == final or _inside(dest, final):
                    made.setdefault(final, n)
        elif node.keyword == "run" and root[n]:
            for script in _run_scripts(node):
                folders, others = made_folders(script, workdirs[n])
                for folder in folders:
                    if folder == final or _inside(folder, final):
                        made.setdefault(final, n)
                    if _inside(folder, final):
                        made.setdefault(folder, n)
                # `$DIR/x` and `~/x` may be anywhere; `logs/$ID` is in the folder
                unnamed.extend(
                    o
                    for o in others
                    if final != "/"
                    and o.lstrip("\"'")[:1] not in ("$", "~")
                    and _inside(posixpath.join(workdirs[n], o), final)
                )
    # The root folder is never handed over, nor what is in it.
    wanted = [f for f in made if f == final or _inside(f, final)] if final != "/" else []
    wanted.sort(key=lambda f: (made[f], f != final))
    at_creation: list[str] = []
    before_user: list[str] = []
    if existing is None:
        created_in = workdirs[creation] if creation is not None else workdirs[anchor + 1]
        if created_in != "/":
            at_creation.append(created_in)  # the folder it starts in is its own
        for folder in wanted:
            if folder == "/" or folder in at_creation:
                continue
            if creation is None or made[folder] < creation:
                at_creation.append(folder)
            else:
                before_user.append(folder)
    else:
        for folder in wanted:
            home = existing.home
            if folder == "/" or folder == home:
                continue  # the user's home is its own already (not what root makes in it)
            if home is None and posixpath.dirname(folder) == "/home":
                continue  # the home of a user whose name is not literal
            before_user.append(folder)
    return _Handover(at_creation, before_user, unnamed)


def _short(run: Instruction) -> bool:
    """A RUN of one command and no flags, which hadolint's DL3059 reports
    beside another such RUN (as merge-runs counts commands)."""
    if run.keyword != "run" or run.reading.json or run.heredocs or run.reading.flags:
        return False
    text = run.reading.rest
    found = commands(text)
    return found is not None and len(found) + text.count("$(") + text.count("`") // 2 <= 1


# Folders of the system: a working directory there is not the application's
# to own (`WORKDIR /bin` had become `chown app:app /bin`). `/` is handled apart
# (nothing is handed over there).
_SYSTEM_FOLDERS = frozenset(
    {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr", "/usr/bin", "/usr/sbin", "/usr/lib"}
    | {"/usr/lib64", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib"}
    | {"/usr/share", "/usr/src", "/etc", "/var", "/var/lib", "/var/log", "/var/run", "/run"}
    | {"/opt", "/root", "/home", "/tmp", "/var/tmp", "/dev", "/proc", "/sys", "/boot"}
    | {"/mnt", "/media"}
)


# Commands run at build time, as root, that leave state the application
# writes at run time (a SQLite database, Next.js's cache): root's files then.
_STATE_MAKERS = re.compile(
    r"\bmanage\.py\s+(?:migrate|createcachetable|loaddata)\b|\b(?:rake|rails)\s+db:"
    r"|\bnext\s+build\b|\bflask\s+db\s+upgrade\b|\balembic\s+upgrade\b"
)
_ROOT_HOME = re.compile(r"(?:^|[=:;,])/root(?:/|$)")
# Configuration a RUN writes, as root, into root's home for the tools the
# application runs (`git config --global --add safe.directory '*'`, an
# `.npmrc`, ssh's known hosts): another user reads its own home instead.
_ROOT_HOME_CONFIG = re.compile(
    r"\bgit\s+config\s+(?:[^|;&\n]*\s)?--global\b"
    r"|(?:~|\$HOME|\$\{HOME\}|/root)/\.(?:gitconfig|npmrc|yarnrc|netrc|ssh\b|docker/config\.json"
    r"|config/pip|pip/pip\.conf|m2/settings\.xml|gradle/gradle\.properties|kube/config)"
)
_PORT = re.compile(r"(?:^|[\s:=])(?:0\.0\.0\.0:|localhost:|:|--port[= ]|-p\s+)(\d{1,5})\b")


# A comment saying the image runs as root on purpose ("Running as root for
# isolate and cgroup operations", "we need root privileges for the cgroup
# setup"); not one that also says the opposite ("needs root to install,
# the app must not run as root", "drop root privileges", "run as non-root").
_ROOT_ON_PURPOSE = re.compile(
    r"\b(?:run|runs|running|keep|keeps|stay|stays|start|starts|started)\b[^.;\n]{0,40}?"
    r"\bas root\b(?!-)"
    r"|\b(?:need|needs|require|requires|requiring)\b[^.;\n]{0,20}?\broot\b(?!-)",
    re.IGNORECASE,
)
_NOT_ROOT = re.compile(
    r"\b(?:not|don't|do not|never|avoid|instead|drop|dropping|without|non-root|nonroot|rootless)\b",
    re.IGNORECASE,
)


def _root_by_comment(tree: Dockerfile, chain: list[Stage]) -> str | None:
    """The text of a comment line in the final stage, or the stages it is
    built FROM, that says the image runs as root on purpose."""
    for stage in chain:
        nodes = [stage.from_, *stage.instructions] if stage.from_ is not None else []
        if not nodes:
            continue
        first, last = tree.index(nodes[0]), tree.index(nodes[-1])
        if stage is chain[0]:
            last = len(tree.items) - 1  # the final stage's last comments too
        for item in tree.items[first : last + 1]:
            if not isinstance(item, Comment):
                continue
            text = item.text
            m = _ROOT_ON_PURPOSE.search(text)
            if m is not None and not _NOT_ROOT.search(text):
                return text
    return None


def _needs_root_at_run_time(tree: Dockerfile, chain: list[Stage]) -> str | None:
    """Why the application would fail as another user, by what the file
    shows: its state under root's home (mode 0700), a volume outside its
    working directory (made by root, and a new volume takes its owner), a
    port below 1024 (root's, where the runtime does not lower
    `ip_unprivileged_port_start`, as Kubernetes does not by default), or
    files a RUN writes as root that the application writes too."""
    workdir = _final_workdir(chain)
    nodes = [n for s in reversed(chain) for n in s.instructions]
    entry = {
        posixpath.basename(token)
        for node in entry_instructions(chain)
        if node is not None
        for token in _entry_tokens(node)
    }
    user = "root"
    for node in nodes:
        keyword = node.keyword
        closed = _closed_to_others(node, entry) if keyword in ("run", "copy", "add") else None
        if closed is not None:
            return (
                f"`{closed}` leaves the program its {_before(chain)} runs executable "
                "by root and its group only"
            )
        if keyword == "user" and node.reading.args:
            user = node.reading.args[0]
        configured = (
            _ROOT_HOME_CONFIG.search(node.reading.rest)
            if keyword == "run" and _ROOT.match(user)
            else None
        )
        if configured is not None:
            return (
                "a RUN writes configuration into root's home "
                f"(`{configured.group(0)}`), which another user would not read"
            )
        if keyword == "env" and any(_ROOT_HOME.search(p.value) for p in node.reading.pairs):
            return "its environment points into /root, root's home, which only root may enter"
        if keyword == "volume":
            for path in node.reading.args:
                path = path.strip("\"'")
                # The working directory is given to the user; `/` never is.
                outside = path != workdir and not _inside(path, workdir)
                if path.startswith("/") and (outside or workdir == "/"):
                    return f"the volume {path} is root's: a new volume takes its owner"
        if keyword == "expose":
            for port in node.reading.args:
                number = _expanded(tree, node, port).split("/")[0]
                if number.isdigit() and int(number) < 1024:
                    return (
                        f"it exposes port {number}: below 1024 binding needs root where the "
                        "runtime does not allow it (Kubernetes by default)"
                    )
        if keyword == "env":
            for pair in node.reading.pairs:
                if not pair.key.upper().endswith("PORT"):
                    continue
                value = _expanded(tree, node, pair.value)
                if value.isdigit() and 0 < int(value) < 1024:
                    return (
                        f"its environment sets {pair.key}={value}: below 1024 binding needs "
                        "root where the runtime does not allow it (Kubernetes by default)"
                    )
        made = _STATE_MAKERS.search(node.reading.rest) if keyword == "run" else None
        if made is not None:
            return (
                "a RUN makes files as root that the application writes at run time "
                f"(`{made.group(0)}`)"
            )
        if keyword in ("cmd", "entrypoint"):
            text = " ".join(node.reading.args) if node.reading.json else node.reading.rest
            for match in _PORT.finditer(text):
                if 0 < int(match.group(1)) < 1024:
                    return (
                        f"its command binds port {match.group(1)}: below 1024 binding needs "
                        "root where the runtime does not allow it (Kubernetes by default)"
                    )
    return None


# A chmod mode that gives nothing to others, or execute to the owner or group
# only (`chmod 750`, `chmod u+x` of a file copied without it: 744).
_OCTAL_MODE = re.compile(r"[0-7]{3,4}")
_SYMBOLIC_PART = re.compile(r"([ugoa]*)([-+=])([rwxXst]*)")


def _mode_closed_to_others(mode: str) -> bool:
    if _OCTAL_MODE.fullmatch(mode):
        return not int(mode[-1]) & 1
    for part in mode.split(","):
        m = _SYMBOLIC_PART.fullmatch(part)
        if m is None:
            continue
        who, op, perms = m.groups()
        others = not who or "o" in who or "a" in who
        if op == "+" and "x" in perms and not others:
            return True
        if op in "-=" and others and ("x" in perms) == (op == "-"):
            return True
    return False


def _closed_to_others(node: Instruction, entry: set[str]) -> str | None:
    """The chmod (a RUN's, or a COPY's `--chmod`) that leaves a file the
    image's CMD/ENTRYPOINT names (by its name) without execute permission
    for others, such as the user this fix would add."""
    if not entry:
        return None
    if node.keyword in ("copy", "add"):
        mode = next((f.value for f in node.reading.flags if f.name == "chmod"), None)
        named = {posixpath.basename(a.rstrip("/")) for a in node.reading.args}
        if mode and _mode_closed_to_others(mode) and named & entry:
            return f"--chmod={mode}"
        return None
    for cmd in commands(node.reading.rest) or ():
        if program(cmd) != "chmod":
            continue
        words = [a for a in cmd.args if not a.startswith("-") or _SYMBOLIC_PART.fullmatch(a)]
        if len(words) < 2 or not _mode_closed_to_others(words[0]):
            continue
        if any(posixpath.basename(w.rstrip("/")) in entry for w in words[1:]):
            return " ".join(["chmod", *cmd.args])
    return None


def _expanded(tree: Dockerfile, node: Instruction, word: str) -> str:
    """`word` of `node` with the variables in force before it, build arguments
    at their defaults (`EXPOSE $PORT` after `ARG PORT=80`)."""
    if "$" not in word:
        return word.strip("\"'")
    point = points(tree, defaults=True).get(id(node))
    return word if point is None else expand(word, point.lookup, tree.escape)


def _chown(owner: str, folders: list[str]) -> str:
    return f"chown {owner} " + " ".join(folders)


def _fix(
    tree: Dockerfile, stage: Stage, existing: Existing | None, family: str, what: str
) -> Finding:
    style = tree.style
    body = list(stage.instructions)
    final = _final_workdir(ancestry(stages(tree), stage))
    if "$" in final:
        # BuildKit expands it (an unset variable to nothing: `/${ROOT}` is `/`);
        # the chown in a RUN would read the shell's variable instead.
        return Finding(
            RULE,
            stage.from_,  # type: ignore[arg-type]
            f"{what}; add a user and switch to it, and give it the working directory "
            f"`{final}`, which names a variable (dockfix writes no chown of it)",
        )
    if final in _SYSTEM_FOLDERS:
        return Finding(
            RULE,
            stage.from_,  # type: ignore[arg-type]
            f"{what}; add a user and switch to it (the working directory {final} is a "
            "system folder, not one to hand to the application's user: move the "
            "application to a folder of its own, such as /app)",
        )
    inherited = _final_workdir(ancestry(stages(tree), stage)[1:])
    if inherited != "/" and not any(n.keyword == "workdir" for n in body):
        # The working directory was made (as root) by a stage this one is
        # built FROM: the folders handed over below are this stage's only.
        return Finding(
            RULE,
            stage.from_,  # type: ignore[arg-type]
            f"{what}; add a user and switch to it, and give it the working directory "
            f"{inherited}, which an earlier stage of the file makes",
        )
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

    before_ = _before(ancestry(stages(tree), stage))
    # Changes by node; each node gets one Edit, so edits never overlap.
    before: dict[int, list[Node]] = {}
    after: dict[int, list[Node]] = {}
    replaced: dict[int, Instruction] = {}

    # USER goes after the last instruction that needs root (or a USER root).
    anchor = _anchor(body)
    last = next(n for n, node in enumerate(body) if node is anchor)
    # The new user is created after the last WORKDIR before USER, where the
    # stage first works as root: its working directory exists by then and is
    # handed over in the same RUN, and later copies can --chown to it.
    root = _root_at(body, True)
    entered = max((n for n in range(last) if body[n].keyword == "workdir"), default=-1)
    creation = next(
        (n for n in range(entered + 1, last + 1) if body[n].keyword in _ROOT_WORK and root[n]),
        None,
    )
    handover = _handover(body, last, creation, existing)
    if handover.unnamed:
        return Finding(
            RULE,
            stage.from_,  # type: ignore[arg-type]
            f"{what}; add a user and switch to it, and give it the folders the stage makes "
            f"in its working directory (`mkdir {handover.unnamed[0]}`)",
        )
    create: Instruction | None = None
    if existing is None:
        if family == "alpine":
            commands_ = [f"addgroup -S -g {UID} {USER} && adduser -S -u {UID} -G {USER} {USER}"]
        else:
            commands_ = [
                f"groupadd --gid {UID} {USER} && "
                f"useradd --no-log-init --uid {UID} --gid {USER} --create-home {USER}"
            ]
        if handover.at_creation:
            commands_.append(_chown(owner, handover.at_creation))
        create = style.instruction("RUN", style.and_lines(commands_))
        if creation is not None:
            spacing: list[Node] = [Blank(style.newline)] if style.blank_lines else []
            before.setdefault(id(body[creation]), []).extend([create, *spacing])

    # --chown on the copies into the working directory, once the user exists.
    workdirs = _workdirs(body)
    for n, node in enumerate(body):
        workdir = workdirs[n + 1]
        if node.keyword not in ("copy", "add") or node.reading.flag("chown") is not None:
            continue
        if workdir == "/" or not node.reading.args:
            continue
        if existing is None and (creation is None or n < creation):
            continue
        dest = posixpath.normpath(posixpath.join(workdir, node.reading.args[-1]))
        if dest == workdir or dest.startswith(workdir + "/"):
            replaced[id(node)] = set_flag(node, "chown", owner)

    # USER after the anchor; before it, the folders made since the user was.
    switch: list[Instruction] = []
    if create is not None and creation is None:
        switch.append(create)  # nothing runs as root after the last WORKDIR
    if handover.before_user:
        chown = _chown(owner, handover.before_user)
        if not _short(anchor):
            switch.append(style.instruction("RUN", chown))
        elif appendable(ShellRun(stage, anchor, commands(anchor.reading.rest) or ())):
            # A RUN of one command beside another is hadolint's DL3059.
            replaced[id(anchor)] = edit(anchor, *append(tree, anchor, chown))
        else:
            return Finding(
                RULE,
                stage.from_,  # type: ignore[arg-type]
                f"{what}; add a user, give it the folders the stage makes in its working "
                f"directory (`{chown}`) and switch to it",
            )
    switch.append(style.instruction("USER", switch_to))
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
        f"{what}; add the user `{user}` and switch to it (`USER {switch_to}`) before {before_}"
        if existing is None
        else f"{what}; switch to {_quoted(existing.name)} (`USER {switch_to}`) before {before_}",
        Fix(tuple(edits), Safety.UNSAFE, f"Run as {switch_to}", postcondition=POSTCONDITION),
    )
