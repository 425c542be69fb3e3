"""## What it does
Turns a `RUN` that changes folder once (`RUN cd /src && make`) into a
`WORKDIR` and the rest of the `RUN`:

```dockerfile
WORKDIR /src
RUN make
WORKDIR /app
```

The last line puts the working directory back where it was (`/app` here),
unless a later `WORKDIR` sets it before anything uses it (a `COPY` to an
absolute destination does not, nor does a `RUN` whose commands do the same
in any folder while the new one still exists). A `WORKDIR /src`
right after the `RUN` moves up instead of being repeated, where the commands
after the `cd` cannot remove the folder it would make again (with several
`cd`s, the one that goes back to where the `RUN` started does not leave a
second `WORKDIR` behind). A `WORKDIR` right above the `RUN` (only
instructions that read no folder between) to a folder that existed before
it, so that it made nothing, gives way to the new one where nothing is put
back after the `RUN`: with `cd /tmp; …; cd /opt/x` both moved up, no
`WORKDIR /tmp` stays behind. A `mkdir -p /src &&`
right before the `cd` goes too, since `WORKDIR` makes the folder. When
commands come before the `cd` (`RUN git clone … /src && cd /src && make`),
they keep a `RUN` of their own, before the `WORKDIR`. `set` options that
open the command (`RUN set -eux; mkdir cli; cd cli; …`) stay at the start of
the rewritten `RUN`, so it runs with the same shell options, and so do
assignments of literal values (`VERSION=1.2 && …`, `export CGO_ENABLED=0 &&
…`); when the `RUN` is split, the `RUN` after the `cd` repeats them
(`RUN set -ex && git pull && cd /src && make` becomes `RUN set -ex && git
pull`, `WORKDIR /src`, `RUN set -ex && make`).

When what comes before the `cd` does the same in its folder, the `WORKDIR`
goes above the whole `RUN` instead, which keeps its one layer: messages
(`echo "## Build"`), and package installs by name, as the official images
do before fetching sources:

```dockerfile
RUN set -eux; \
    apk add --no-cache --virtual .fetch-deps gnupg; \
    mkdir -p /usr/src; \
    cd /usr/src; \
    curl -fsSL -o php.tar.xz "$PHP_URL"; \
    apk del --no-network .fetch-deps
```

becomes `WORKDIR /usr/src`, the `RUN` without its `mkdir` and `cd`, and
`WORKDIR /` (splitting it would leave gnupg in the image, in the first
`RUN`'s layer, though the second removes it).

When the `cd` opens the `RUN` but is not tied by `&&` to all that follows
(`RUN cd /src; npm install`, `RUN cd /usr/local/bin && { [ -e python ] || ln
-s python3 python; }`), it becomes a `WORKDIR` too, where the folder
provably exists when the `RUN` starts (`COPY . /src` before it, say), so
that the `cd` cannot fail (`/` always does: the shell itself is found
through it, whatever the user). A `&& cd DIR` that ends a `RUN` (`RUN make
install && cd /src`) goes where DIR provably exists at its end: the next
instruction starts in the working directory anyway.

A `cd /` whose effect nothing reads goes without a `WORKDIR`:
`RUN make install && cd / && rm -rf /tmp/src` becomes
`RUN make install && rm -rf /tmp/src`, when every command after it only
removes, makes, copies or changes files named by absolute paths (`rm`,
`mkdir`, `cp`, `chown`, …). So does a
`cd DIR &&` that opens a `RUN` already running in DIR (a `WORKDIR DIR`
before it, in the stage or the stage it is built FROM): it cannot fail and
changes nothing, unless the script reads `$PWD` or `$OLDPWD`, which it sets.

With several `cd`s (`RUN cd /app/api && npm ci && cd ../web && npm ci`),
each becomes a `WORKDIR` before the commands that ran in its folder, when
every one of them can be rewritten this way (else the `RUN` is left as it
is, since a `cd` left in it would keep hadolint's finding).

## Why is this bad?
A `cd` lasts for one `RUN`, which is easy to forget when the next line
expects to be in the same folder; `WORKDIR` says where commands run, for
every instruction after it, and is what hadolint (DL3003) and Docker's best
practices ask for.

## Example
```dockerfile
WORKDIR /app
RUN cd /tmp/build && ./configure && make install
COPY . .
```

Use instead:
```dockerfile
WORKDIR /app
WORKDIR /tmp/build
RUN ./configure && make install
WORKDIR /app
COPY . .
```

And in the style of the official images:
```dockerfile
WORKDIR /usr/src
RUN set -eux; \
    mkdir app; \
    cd app; \
    wget -O app.tgz "$APP_URL"; \
    tar -xf app.tgz; \
    cd /; \
    rm -rf /usr/src/app/app.tgz
```

becomes (the `cd /` goes too: `rm` with an absolute path needs no folder):
```dockerfile
WORKDIR /usr/src
WORKDIR /usr/src/app
RUN set -eux; \
    wget -O app.tgz "$APP_URL"; \
    tar -xf app.tgz; \
    rm -rf /usr/src/app/app.tgz
WORKDIR /usr/src
```

## Fix safety
Unsafe: the layers change (`WORKDIR` is a step of its own, and so is a split
`RUN`), and so does the build cache. What the commands do is the same when:
- the `cd` has `&&` after it (and before it, if commands come first), and
  the rest has no `;`, `||`, `&` or newline of its own (`cd /x && a; b` runs
  `b` when the `cd` fails); or the command opens with `set` options that
  include `-e` (`-o errexit`, not undone by `+e`) and the `cd` (and the
  `mkdir` before it) stand between `;`s, so a failing `cd` ends the shell.
  Either way the rest runs only in the new folder, which existed when the
  `cd` ran (BuildKit's `WORKDIR` creates a missing folder, with the stage's
  user as owner, but the build only got past `cd` because it was there); with
  `mkdir -p DIR` (or `mkdir DIR`) right before, the folder did not exist and
  `WORKDIR` makes it as the `RUN` did (mode 0755, owned by the stage's user,
  parents too). After a `USER` (of the file or of the base image), BuildKit
  looks the user up in the image's `/etc/passwd` for the `WORKDIR` as it
  does for the `RUN` that follows, in the same files, and leaves a folder
  that exists as it is;
- the folder is a plain path, absolute or relative to a working directory
  the file sets, or a `$NAME` that an `ENV` or `ARG` of the file defines
  (`WORKDIR` expands it to the value the shell sees, and names it as the
  `cd` did: `WORKDIR /usr/src/app-$VERSION`), also in double quotes
  (`cd "$APP_HOME"`), or trimmed by a literal pattern (`cd
  "${PHP_INI_DIR%/php}"`, `#prefix`: the `WORKDIR` gets the folder the
  shell computes, `/usr/local/etc`, not the word, which BuildKit's own
  expansion may not trim alike); not `~`, `-`, a glob, a command
  substitution, or a variable of the base image;
- the working directory is put back after the `RUN` with `WORKDIR` (so it
  must be known: set by a `WORKDIR` of the stage or of the stage it is built
  from, or the folder of the official image the chain of stages starts
  from where its Dockerfiles show it: `/` for those that set none, such as
  `debian`, `ubuntu`, `alpine`, `python`, `node` (the image then records `/`
  where it recorded no folder, the same one for `docker run`, `RUN`, `COPY`
  and `ADD`), `/go` for `golang`, `/var/www/html` for php's apache and fpm
  images, `/usr/local/apache2` for `httpd`, `/usr/local/tomcat` for
  `tomcat`, `/data` for `redis`), or a later `WORKDIR` with an
  absolute path replaces it before any
  `RUN`, `COPY`, `ADD` or `VOLUME` uses it, or nothing after it in the stage
  uses it and the stage is neither the last one nor one that another stage
  is built `FROM` (nor could be: a `FROM` whose image is not known). Then
  only the working directory the stage's image records changes: `COPY
  --from` and `RUN --mount=from=` read the stage's files, not its config. A
  build that stops at that stage (`docker build --target test`) makes an
  image whose working directory is the new folder, which `docker run` of
  that image would start in;
- a `cd` that opens the command (after the opening `set` options and
  literal assignments) but is joined by `;` without `set -e`, or followed by
  an operator of the rest's own (`cd D && a || b`, `cd D; a; b`), lets the
  rest run in the old folder when it fails, where `WORKDIR` would not. It is
  rewritten only where it cannot fail: the `RUN` runs as root (the last
  `USER` is root, or there is none and the image is an official one known
  to run as root), so a folder that exists is one it can enter, and the
  folder provably exists when the `RUN` starts. It does when it is the
  `RUN`'s working directory or one above it; or a step before in the stage
  made it: a `WORKDIR` to it or below it; a `COPY` or `ADD` whose
  destination folder is it or below it (`COPY . /src`, `COPY a /src/`), or
  whose file destination is in it; a `RUN` that ran in it or below it, or
  made it with `mkdir` or entered it with `cd` where that command's failure
  fails the `RUN` (in a script of `&&` alone, or between `;`s after `set -e`;
  outside any subshell, group, `if`, loop or pipe, and before any other
  change of folder); or it is one of the folders every official image known
  to set no working directory has (`/`, `/tmp`, `/etc`, `/usr`, `/usr/bin`,
  `/var`, `/root`, and but for busybox `/usr/local`, `/usr/local/bin`,
  `/opt` and `/home`). And no `RUN` since may have removed it or a folder above it: no
  `rm`, `rmdir`, `unlink`, `shred` or `mv` whose operands (literal paths,
  globs, or variables the file defines and the script does not set) may name
  one of them (a relative one read from any folder), no other command that
  removes files (`apt-get purge`, `dpkg -r`, `find -delete`, `xargs rm`,
  `make clean`, `git checkout`, …) but a package tool's `clean` of its caches (for a folder
  outside `/var`, `/root`, `/home`, `/tmp` and `/run`), no command named by
  a variable. A command is taken to remove nothing it is not told to: a
  script the `RUN` runs is not read, nor are symbolic links followed. Only
  the stage's own steps count, not those of a stage it is built `FROM`; a
  `mkdir D` right before such a `cd` keeps the `RUN` as it is;
- a `&& cd DIR` that ends the command (outside any subshell, group, `if` or
  loop; DIR absolute, or a variable the file defines to one; no `trap` in
  the script) changes nothing any later instruction sees, as each starts in
  the working directory, and `a && cd DIR` has the exit status of `a` when
  the `cd` succeeds: it goes where DIR provably exists at the end of the
  `RUN` (as above, the `RUN` itself removing nothing that may be it), which
  runs as root. `a; cd DIR` stays (its exit status is the `cd`'s), and so
  does `cd -`, `cd ~` or a relative folder;
- with several `cd`s (four at most: the engine's rounds of fixes must
  settle), the first is rewritten (one per round of fixes) when
  the `RUN` left after it, in the new folder, can be rewritten in turn down
  to the last `cd` (a relative folder is read from the one before it; a
  `cd` that cannot be rewritten leaves the whole `RUN` alone, as the
  finding would stay);
- the rest does not read `$OLDPWD`, no mount of the `RUN` covers the folder
  (`WORKDIR` would create it in the image), and no comment line sits inside
  the part removed, but for comment lines between a `cd DIR &&` (or `;`)
  that ends its line and the rest: they stay where they are, and only the
  `cd` goes from its line, or its whole lines (a line of its own, or
  `    && cd DIR \\` in a chain of `&&`s that open their lines), where
  BuildKit then reads the `RUN` exactly as with the comment lines removed;
- `set` options opening the command (only options: `set -eux`,
  `set -o pipefail`) and assignments of literal values opening it
  (`X=1.2`, `export X="a b"`: no `$`, backtick, backslash, `~` or glob) are
  kept in front of the rest: the rest's shell has the options and values it
  had. When the `RUN` is split they stay in the first `RUN` and open the
  second one too: running them again in a new shell sets the same options
  and the same values, and nothing else (they cannot fail but where they
  failed the first time, which stops the build before the split's second
  `RUN`). An assignment without `export` is repeated only when both `RUN`s
  read the variable, as ShellCheck (in hadolint) reports one a `RUN`
  assigns and never reads (SC2034); a comment line among them refuses;
- when the `RUN` is split: the commands before the `cd` (after the opening
  ones above) leave no state the
  rest would need (`export`, `set`, lone assignments, functions, … as
  merge-runs reads them), the rest has no `;`, `||` or `&` of its own (so a
  failure before the `cd` still stops it), and the rest removes or moves no
  files (`rm`, `mv`, `apt-get purge`, `… clean`, `find -delete`, `xargs rm`,
  `sh -c 'rm …'`, `git checkout`, …, as read for a folder that must exist,
  below): what it removed from the earlier layer would still weigh in the
  image. Both `RUN`s keep the flags
  (mounts, network) of the original. A folder named through a build
  argument with a default (`cd /src/tool-${VERSION}`) is written as the
  `cd` names it: the shell and the `WORKDIR` read the value `--build-arg`
  gives alike; not one that opens with it (`cd ${APP_DIR}`: absolute or not
  is not told).
- a `WORKDIR` above the whole `RUN` (the commands before the `cd` kept in
  it, in the new folder) where they do the same there, read word by word
  (`hoistable`): fixed messages (`echo`, `printf` of plain or quoted text),
  `true`, assignments of literal values or of `$(apt-mark showmanual)` (a
  query of the package database), `apt-get`/`apt` `update`, `install`,
  `upgrade`, `clean` (`dist-clean`, `autoclean`), `apk add`/`update`/`upgrade`,
  `yum`/`dnf` `install`, `clean`, `makecache` (and `microdnf`'s) with
  options, package names and URLs only (no `/` but in a URL, no package
  file, no glob, which the shell would match against the folder's files, and
  variables only where the file defines them to such words: `$PHPIZE_DEPS`;
  an option naming a file or folder, `-c apt.conf`, `--repositories-file`,
  `-X ./repo`, `--setopt=reposdir=…`, only with a URL or an absolute path),
  `mkdir -p` of absolute paths, `rm` of absolute paths that cannot be the
  folder or one above it; assignments (and `export`s) of values computed
  from text alone (`dockfix.cwdfree`: `$(uname -m)`,
  `$(dpkg --print-architecture)`, `$(echo ${VERSION} | cut -d. -f3)`, `sed`
  with `s` commands only), `[`/`test` of strings (file tests only of
  absolute paths, neither the folder nor one above it, which the `WORKDIR`
  makes first) and the `if`, `then`, `else`, `elif`, `fi` around them;
  `case` statements whose word is plain or computed from text alone
  (`case "$(uname -m)" in`) and whose branches hold such commands (or
  `exit` with a failing status: the build fails either way); `for` loops
  over plain words or the file's variables (`for key in $KEYS; do`) around
  such commands, with `break` and `continue`; keys fetched with `gpg
  --recv-keys` and signatures checked with `gpg --verify` of absolute or
  scratch files, into a `GNUPGHOME` that is absolute, unset, or a fresh
  `$(mktemp -d)` folder (removed with `rm -rf "$GNUPGHOME"`), `gpgconf
  --kill all`;
  `git clone URL DIR` into the folder itself (git fills an empty folder as
  it does one it makes; the old clone failed where the folder held files);
  downloads to absolute paths or standard output (`curl -fsSL URL -o
  /tmp/x.tgz`, `wget -qO- URL`) and extractions of absolute archives (or
  a pipe) into absolute folders (`tar -xzf /tmp/x.tgz -C /usr/src`: GNU
  tar gives a folder that exists the archive's mode and owner, as BusyBox's
  does); scratch files (`downloads.Scratch`: downloaded under a plain name,
  checked by `echo "$SHA  x.tgz" | sha256sum -c -`, unpacked and removed,
  which only pass through the folder); `mkdir -p` of the folder itself
  (what the `WORKDIR` makes, the same owner and mode); variables
  unquoted only where the file gives them values without blanks or globs
  (a build argument: its default), BuildKit's platform arguments, or
  variables the script assigns once (a literal value, a URL, or a URL in
  each `case` branch); pipes
  of such commands; no background job, subshell, group or loop, no
  redirection but to an absolute path. dpkg, apk and rpm run
  maintainer scripts from `/`, whatever the folder they are started in; none
  of these commands is asked to remove a package (one that goes could take
  an empty folder of its own with it; an install that replaces a
  conflicting package leaves the folders below alone, which no package
  makes). The `cd` is joined to them by `&&` (with no operator of
  the rest's own after it) or, after `set -e`, by `;`: the rest runs only in
  the new folder either way. The folder now exists before they run, made
  by the `WORKDIR`: where they may make folders (a package install,
  `mkdir -p`), it must exist before the `RUN` (as above), or be one
  packages do not make, which the commands before the `cd` make (`mkdir -p
  DIR`, an extraction, a clone) or the old `cd` failed on
  (`own_folder`: under `/tmp`, `/root`, `/home`, `/usr/src`,
  `/usr/local/src` or a top-level folder outside the FHS, such as `/app` or
  `/build`; not `/etc/nginx` or `/opt/tool`), the `RUN` running as root (a
  folder a package would have made is one the `WORKDIR` makes the same,
  mode 0755, owned by root). The post-condition reads the old script again:
  the same commands before the `[mkdir -p DIR] cd DIR`, the same joints,
  the same folder rules, and the new `RUN` is the old one without them in
  DIR;
Dropping a `cd /` changes nothing the build does: `cd /` cannot fail, and
what runs after it (to the end of the `RUN`, outside any `if`, loop, group or
subshell, with no `$PWD`) is `rm`, `rmdir`, `mkdir`, `touch`, `chmod`,
`chown`, `chgrp`, `ln`, `cp`, `mv` or `ldconfig` with options and literal
absolute paths only (no variable, `~`, substitution or relative glob, which
the folder could change), or another such `cd /`; not a package manager,
whose maintainer scripts would run in the old folder, which the commands
before may have removed.
`a && cd /; b` becomes `a; b` and `a && cd /` at the end becomes `a` (same
exit status); after `||` or `|`, or as `a; cd /` at the end, it stays.
No rewrite sets two one-command `RUN`s side by side (what hadolint's DL3059
reports; a `RUN` with its `cd` has two commands at least): the commands
before a `cd` do not get a `RUN` of their own, nor does a `cd` go in place,
next to such a `RUN`, or next to a `RUN` this fix may leave as one.
One difference remains: `$PWD` is the physical path when a folder on the
way is a symbolic link (`cd` keeps the logical one). The new instructions go
below the comments over the `RUN` (a leading `WORKDIR` goes above them), so
a suppression comment keeps its instruction. The post-condition checks that
the build is the same but for the new folder steps and the `RUN` split at
its `cd`: the commands before it (same shell, environment, folder, user and
flags), then the opening `set` options and literal assignments of the old
command (exactly those) and the commands after the `cd` in the new folder,
the `cd DIR &&` (and `mkdir -p DIR &&`) being all that is left out; or, with
no split, the opening `set` options and literal assignments and the rest
(the working directory a stage ends with may differ only where no image gets
it), the `cd` (and `mkdir`) joined by `&&` with no other operator in the
rest, or by `;` after `set -e`. For a dropped
`cd /`, it checks that the `RUN` is the same but for its script, which is the
old one without the `cd /`s that nothing reads (found again from the old
script). For a `cd` not tied by `&&` to all after it, and for a dropped
`&& cd DIR` that ended the `RUN` (the script otherwise the same), it checks
that the folder exists as above, from the old file's steps (where the fix
asks for more: the base image's folders read as those of any image known,
and its user as root).

## Revealed findings
hadolint reads each `RUN` with shellcheck. The commands before a `cd`, in a
`RUN` of their own after a split, can get findings shellcheck had not given
the longer script: seen on a real file, `SC2015` (`a && b || c` is not an
if-then-else) on a retry loop (`for i in 1 2 3; do git clone … && break ||
sleep 60; done`) that was followed by `&& cd vision && …` before. The
commands are the same. hadolint reports a shellcheck finding once per `RUN`
and code, at the line the `RUN` starts: a finding on commands on both sides
of the `cd` then counts twice (seen: `SC2046` on `make -j$(nproc)` before and
after a `cd` that returned to the `RUN`'s folder).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise

from dockfix.buildcontext import within
from dockfix.cwdfree import (
    above,
    computed_assignment,
    computed_word,
    expanded_assignment,
    exported_assignment,
    stable_word,
    string_test,
    temporary_folder,
    variable_value,
)
from dockfix.downloads import Scratch, extraction, signature_check, transfer
from dockfix.editing import drops_inner_lines, edit, edit_many, with_code
from dockfix.errors import ParseError
from dockfix.images import default_workdir, split
from dockfix.packages import ShellRun, user_is_root
from dockfix.rewrites import (
    RUN_COMMAND,
    RUN_CWD,
    RUN_ENV,
    RUN_FLAGS,
    RUN_HEREDOCS,
    RUN_USER,
    Step,
    compare,
    script_rewritten,
)
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.semantics import (
    BASE_WORKDIR,
    BuildModel,
    Point,
    StageModel,
    go_clean,
    model,
    points,
    with_base_workdir,
)
from dockfix.shell import RESERVED, Command, commands, marked_lexemes, tokens, top_level
from dockfix.shellstate import carries_state, own_operator
from dockfix.stages import Stage, ancestry, stages
from dockfix.suppressions import has_pragma_above
from dockfix.tree import Dockerfile, Instruction, Line, Node
from dockfix.words import WordError, is_unknown, process_word, unknown

RULE = Rule(
    code="DF052",
    name="cd-workdir",
    summary="RUN cd DIR && …: WORKDIR DIR, then the rest of the RUN",
    safety=Safety.UNSAFE,
    hadolint="DL3003",
)
TRIGGERS = ("cd",)  # one occurs in every file it reports on
_PLAIN = re.compile(r"[A-Za-z0-9_./@+:,=%-]+\Z")
# Instructions that read or write nothing through the working directory while
# the build runs (the image's working directory at the end is checked apart).
_CONFIG_ONLY = frozenset(
    {
        "env",
        "arg",
        "label",
        "expose",
        "user",
        "cmd",
        "entrypoint",
        "healthcheck",
        "stopsignal",
        "shell",
        "maintainer",
        "onbuild",
    }
)
_POSIX = ("sh", "bash", "dash", "ash", "zsh")


@dataclass(frozen=True)
class _Prefix:
    """Where a RUN's command changes folder:
    `[PROLOGUE] [HEAD &&] [mkdir [-p] DIR J] cd DIR J REST`."""

    word: str  # the folder as written
    mkdir: bool  # a `mkdir [-p] DIR` right before the cd goes too
    head: bool  # commands (other than the prologue) come before: the RUN is split
    cut: int  # where the part removed starts in the command text (the end of HEAD when split)
    rest: int  # where REST starts in the command text
    proven: bool = False  # REST may run after a failed cd: the folder must exist
    semi: bool = False  # HEAD; [mkdir;] cd DIR; REST after `set -e`: the cd is joined by `;`


def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
    all_stages = stages(tree)
    at = _rooted_points(tree)
    for stage in all_stages:
        if stage.from_ is None or not _posix(all_stages, stage):
            continue
        for n, node in enumerate(stage.instructions):
            if node.keyword != "run" or node.reading.json or node.heredocs:
                continue
            finding = _check(tree, stage, n, at)
            if finding is not None:
                yield finding


def _roots(image: str) -> bool:
    """An official image whose working directory is known (`/` where it sets
    none: `images.default_workdir`): its containers, and its RUNs, start there."""
    return default_workdir(image) is not None


def _root_image(build: BuildModel, n: int) -> str:
    base = build.stages[n].base
    while base.startswith("stage#") and int(base[6:]) < n:
        n = int(base[6:])
        base = build.stages[n].base
    return base


def _rooted_points(tree: Dockerfile) -> dict[int, Point]:
    """`points`, with the working directory known where no WORKDIR ran before
    in a stage whose chain starts from an image whose folder is known (`/`
    where it sets none: `_roots`)."""
    at = points(tree)
    build = model(tree)
    for key, point in at.items():
        if point.workdir != BASE_WORKDIR:
            continue
        known = default_workdir(_root_image(build, point.stage))
        if known is not None:
            at[key] = replace(point, workdir=known)
    return at


def _posix(all_stages: list[Stage], stage: Stage) -> bool:
    for link in ancestry(all_stages, stage):
        if link.shell is not None:
            return link.shell[0].rsplit("/", 1)[-1] in _POSIX
    return True


def _unquote(word: str) -> str | None:
    """A word's value when it is plain (quotes around plain text allowed)."""
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
        word = word[1:-1]
    return word if _PLAIN.match(word) and not word.startswith("-") else None


# `${NAME%suffix}`, `${NAME#prefix}` (and `%%`, `##`) with a literal pattern.
_TRIMMED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(%%|%|##|#)([A-Za-z0-9_./@+:,=-]*)\}")


def _inside_quotes(word: str) -> str:
    """`word` without the double quotes around it, where inside them the
    shell reads it as it would without (no quote, backtick, backslash or
    command substitution): `"$APP_HOME"` is `$APP_HOME` for a plain value."""
    if len(word) >= 2 and word[0] == word[-1] == '"' and not re.search(r'["`\\]|\$\(', word[1:-1]):
        return word[1:-1]
    return word


def _trimmed(word: str, lookup: Callable[[str], str | None]) -> str | None:
    """`word` with each `${NAME%suffix}` (`#prefix`, `%%`, `##`) replaced by
    the value the shell gives it (a literal pattern removes itself where the
    value ends, or starts, with it); None where a value is unknown or not
    plain."""
    values: list[str] = []
    for found in _TRIMMED.finditer(word):
        value = lookup(found[1])
        if value is None or is_unknown(value) or not _PLAIN.match(value):
            return None
        pattern = found[3]
        if found[2].startswith("%") and pattern and value.endswith(pattern):
            value = value[: -len(pattern)]
        elif found[2].startswith("#") and value.startswith(pattern):
            value = value[len(pattern) :]
        values.append(value)
    pieces = iter(values)
    return _TRIMMED.sub(lambda _: next(pieces), word)


def folder(word: str, lookup: Callable[[str], str | None], escape: str = "\\") -> str | None:
    """What `cd WORD` changes to, as the shell reads the word: plain text, with
    `$NAME`/`${NAME}` of the environment expanded (a WORKDIR expands them to
    the same values), also inside double quotes, and `${NAME%suffix}` or
    `${NAME#prefix}` with a literal pattern; None for anything else (`~`, `-`,
    globs, unknowns)."""
    inner = _inside_quotes(word)
    if inner != word and "$" in inner:
        word = inner
    if _TRIMMED.search(word):
        trimmed = _trimmed(word, lookup)
        if trimmed is None:
            return None
        word = trimmed
    if not re.fullmatch(
        r"(?:[A-Za-z0-9_./@+:,=%-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+", word
    ):
        return _unquote(word)
    try:
        value = process_word(word, lookup, escape)
    except WordError:
        return None
    # A build argument stands for the value `--build-arg` gives it, which the
    # shell and a WORKDIR read alike (`/src/app-${VERSION}`); it is kept as
    # such, read through its default here, and never opens the path.
    shown = _ARG.sub(lambda m: m["default"], value)
    if is_unknown(shown) or value.startswith(_TOKEN) or not _PLAIN.match(shown):
        return None
    return None if value.startswith("-") else value


# A build argument's value with a default of plain characters (no `/`).
_TOKEN = unknown("")[0]
_ARG = re.compile(unknown(r"arg:[A-Za-z_][A-Za-z0-9_]*=(?P<default>[A-Za-z0-9_.@+:,=%-]+)"))
_JOINT = re.compile(r"[ \t]*(&&|;|\n)[ \t]*")
# A literal value: plain characters, or quotes around text with nothing the
# shell expands (no `$`, backtick, backslash, `~`, glob or substitution).
_VALUE = r"""(?:'[^'\n]*'|"[^"$`\\\n]*"|[A-Za-z0-9_./@+:,=%-])*"""
_LITERAL = re.compile(
    rf"(?P<export>export[ \t]+)?(?P<names>[A-Za-z_][A-Za-z0-9_]*={_VALUE}"
    rf"(?:[ \t]+[A-Za-z_][A-Za-z0-9_]*={_VALUE})*)(?=[ \t]*(?:&&|;|\n))"
)
_LITERAL_ASSIGNMENT = re.compile(rf"[A-Za-z_][A-Za-z0-9_]*={_VALUE}")


def prologue(text: str) -> tuple[int, bool, str]:
    """The commands that open a command and only set the shell's state to
    what running them again sets it to: `set` with options only
    (`set -eux; …`, `set -ex && …`) and assignments of literal values
    (`VERSION=1.2 && …`, `export CGO_ENABLED=0 && …`). Where the command
    after them starts (0 when there are none), whether they leave the shell
    exiting on a failing command (`-e`, `-o errexit`), and the operator
    after the last of them ("" when none). A RUN that keeps them, or repeats
    them, runs with the same shell state at that point."""
    cmds = commands(text)
    if not cmds:
        return 0, False, ""
    sets = {cmd.start: cmd for cmd in cmds if cmd.name == "set"}
    end, errexit, last = 0, False, ""
    while True:
        at = len(text) - len(text[end:].lstrip())
        literal = _LITERAL.match(text, at)
        if literal is not None:
            joint = _JOINT.match(text, literal.end())
            if joint is None:
                break
            end, last = joint.end(), joint.group(1)
            continue
        cmd = sets.get(at)
        if cmd is None or cmd.words[0].text != "set" or not cmd.args:
            break
        if cmd.after not in ("&&", ";", "\n"):
            break
        if not all(re.fullmatch(r"[-+][A-Za-z]+|[A-Za-z]+", a) for a in cmd.args):
            break
        if cmd.args[0][0] not in "-+":
            break
        on = errexit
        args = cmd.args
        for n, arg in enumerate(args):
            if arg in ("-o", "+o"):
                if n + 1 < len(args) and args[n + 1] == "errexit":
                    on = arg == "-o"
            elif arg[0] in "-+" and "e" in arg[1:] and arg[1:].isalpha():
                on = arg[0] == "-"
        joint = _JOINT.match(text, cmd.end)
        if joint is None or joint.group(1) != cmd.after:
            break
        end, errexit, last = joint.end(), on, cmd.after
    return end, errexit, last


def _unused_names(opening: str, *parts: str) -> list[str]:
    """The names `opening` (see `prologue`) assigns without `export` that
    one of `parts` does not read: ShellCheck (in hadolint) reports a variable
    a RUN assigns and never reads (SC2034), so such an assignment is not
    repeated in a RUN of its own."""
    names = []
    for literal in _LITERAL.finditer(opening):
        if literal["export"]:
            continue
        for name in re.findall(r"(?:^|[ \t])([A-Za-z_][A-Za-z0-9_]*)=", literal["names"]):
            if not all(re.search(rf"\$\{{?{name}\b", part) for part in parts):
                names.append(name)
    return names


def prefix(text: str) -> _Prefix | None:
    """Where the command changes folder, if it does so once, in a way whose
    failure stops everything after it: with `&&` after it (and before it,
    when other commands come first), or, after `set -e` opening the command,
    as a command of its own between `;`s."""
    cmds = commands(text)
    if not cmds or len(cmds) < 2:
        return None
    cds = [k for k, c in enumerate(cmds) if c.name == "cd"]
    if not cds:
        return None
    k = cds[0]
    cd = cmds[k]
    if len(cd.words) != 2 or k + 1 >= len(cmds) or not top_level(text, cd.start):
        return None
    rest = _after_joint(text, cd)
    if rest is None or "OLDPWD" in text[rest:]:
        return None
    word = cd.words[1].text
    first, mkdir = k, False
    if k > 0:
        made = cmds[k - 1]
        between = _JOINT.match(text, made.end)
        if (
            made.name == "mkdir"
            and _made(made, word)
            and between is not None
            and between.group(1) == made.after == cd.before
            and between.end() == cd.start
        ):
            first, mkdir = k - 1, True
    start = cmds[first].start
    pro_end, errexit, last = prologue(text)
    if start == pro_end:  # nothing but a prologue before: no split
        joints = [cd.after] + ([cd.before] if mkdir else [])
        if last:
            joints.append(last)
        if all(j == "&&" for j in joints):
            if own_operator(text[rest:]) is not None:
                # `cd D && a; b`: b runs when the cd fails; the same only
                # where the cd cannot fail.
                return None if mkdir else _Prefix(word, False, False, start, rest, True)
        elif not (errexit and all(j in (";", "\n") for j in joints)):
            return None if mkdir else _Prefix(word, False, False, start, rest, True)
        return _Prefix(word, mkdir, False, start, rest)
    if pro_end and start > pro_end and cmds[first].before != "&&":
        # `set -e; HEAD; [mkdir -p DIR;] cd DIR; REST`: a failing cd ends the
        # shell. Not split (see `_plan_one`), only read for a WORKDIR hoisted
        # above HEAD.
        joints = [cmds[first].before, cd.after] + ([cd.before] if mkdir else [])
        semi_at = max(text.rfind(";", 0, start), text.rfind("\n", 0, start))
        if (
            errexit
            and all(j in (";", "\n") for j in joints)
            and semi_at >= pro_end
            and not text[semi_at + 1 : start].strip()
            and top_level(text, start)
        ):
            return _Prefix(word, mkdir, True, len(text[:semi_at].rstrip()), rest, semi=True)
        return None
    # HEAD && [mkdir -p DIR &&] cd DIR && REST: split in two RUNs.
    if cd.after != "&&" or (mkdir and cd.before != "&&"):
        return None
    and_at = text.rfind("&&", 0, start)
    if cmds[first].before != "&&" or and_at < 0 or text[and_at + 2 : start].strip():
        return None  # `x; cd d`, or `FOO=1 cd d`
    return _Prefix(word, mkdir, True, len(text[:and_at].rstrip()), rest)


# Commands that read the working directory only through the paths they are
# given: with options and absolute paths alone, they do the same anywhere.
_PATH_COMMANDS = frozenset(
    {"rm", "rmdir", "mkdir", "touch", "chmod", "chown", "chgrp", "ln", "cp", "mv", "ldconfig"}
)
_OWNERS = {
    "chown": re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?"),
    "chgrp": re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*"),
    "chmod": re.compile(r"[0-7]{3,4}|[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*)*"),
}
_OPTION = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9-]*")
_ABSOLUTE = re.compile(r"/[^\s$`'\"<>()&|;~\\]*")
_REDIRECT = re.compile(r"[0-9]*(?:>>?|<)/[^\s$`'\"<>()&|;~\\]*|[0-9]*>&[0-9-]")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def _cwd_free(cmd: Command) -> bool:
    """Whether `cmd` does the same in any working directory: a command that
    reads it only through the paths it is given, given options and absolute
    paths only (no variable, `~`, substitution or relative glob)."""
    words = [w.text for w in cmd.words]
    name, args = words[0], words[1:]
    if _is_root_cd(cmd) or (name in ("true", ":") and not args):
        return True
    if name in _PATH_COMMANDS:
        if name in _OWNERS and args:  # the owner or mode first: `chown app:app /srv`
            operand = next((k for k, a in enumerate(args) if not _OPTION.fullmatch(a)), None)
            if operand is None or not _OWNERS[name].fullmatch(args[operand]):
                return False
            args = args[:operand] + args[operand + 1 :]
        return all(
            a == "--" or _OPTION.fullmatch(a) or _ABSOLUTE.fullmatch(a) or _REDIRECT.fullmatch(a)
            for a in args
        )
    # Not package managers: their maintainer scripts run in the folder, which
    # the commands before may have removed (the `cd /` is often for that).
    return False


def _is_root_cd(cmd: Command) -> bool:
    return [w.text for w in cmd.words] == ["cd", "/"]


def root_cds(text: str) -> list[tuple[int, int]]:
    """The spans of the command text to remove to drop each `cd /` whose
    effect nothing reads: `cd /` cannot fail, and every command after it, to
    the end, does the same in any folder (see `_cwd_free`), outside any `if`,
    loop, group or subshell; the operators around it keep what runs when
    (`a && cd /; b` becomes `a; b`). Empty when there is none."""
    cmds = commands(text)
    if not cmds:
        return []
    spans: list[tuple[int, int]] = []
    for k, cmd in enumerate(cmds):
        if not _is_root_cd(cmd) or not all(_cwd_free(c) for c in cmds[k + 1 :]):
            continue
        tail = text[cmd.start :]
        found = tokens(tail)
        if (
            found is None
            or "PWD" in tail
            or any(t in RESERVED or t in ("(", ")") or _ASSIGNMENT.match(t) for t in found)
        ):
            continue
        span = _root_cd_span(text, cmd)
        if span is not None and not any(a < span[1] and span[0] < b for a, b in spans):
            spans.append(span)
    return spans


def _root_cd_span(text: str, cmd: Command) -> tuple[int, int] | None:
    before, after = cmd.before, cmd.after
    at = -1
    if before:
        at = text.rfind(before, 0, cmd.start)
        if at < 0 or text[at + len(before) : cmd.start].strip():
            return None  # `FOO=1 cd /`
    elif text[: cmd.start].strip():
        return None
    joined_before = len(text[:at].rstrip()) if before == "&&" else None
    if not after:  # the last command: `a && cd /` is `a`
        return (joined_before, cmd.end) if joined_before is not None else None
    joint = _JOINT.match(text, cmd.end)
    if joint is None or joint.group(1) != after:
        return None
    if before in ("", ";", "\n") or (before == "&&" and after == "&&"):
        return (cmd.start, joint.end())
    if before == "&&" and joined_before is not None:  # `a && cd /; b` is `a; b`
        return (joined_before, cmd.end)
    return None


def drop_root_cds(text: str) -> str:
    """`text` without the `cd /` commands whose effect nothing reads."""
    for a, b in reversed(root_cds(text)):
        text = text[:a] + text[b:]
    return text


# --- folders that provably exist --------------------------------------------------

# Folders every image of the official ones whose working directory is known
# (`_roots`) has, and those all of them but busybox's have (and its own
# working directory, see `_image_folders`).
_IMAGE_FOLDERS = frozenset({"/", "/tmp", "/etc", "/usr", "/usr/bin", "/var", "/root"})
_NOT_BUSYBOX_FOLDERS = frozenset({"/usr/local", "/usr/local/bin", "/opt", "/home"})
_ROOT = frozenset({"", "root", "0", "root:root", "0:0"})
# Commands that remove files or folders named by their operands; words that
# make a command remove files (`apt-get purge`, `find -delete`, `make clean`);
# a remover named inside another command's words (`find -exec rm`, `xargs rm`,
# `sh -c 'rm …'`); git subcommands that may remove files of a work tree.
_REMOVERS = frozenset({"rm", "rmdir", "unlink", "shred", "mv"})
_REMOVING_WORD = re.compile(
    r"remove|purge|autoremove|clean|distclean|erase|del|delete|uninstall|prune|autoclean"
    r"|cleanup|rmi|-delete|--delete[a-z-]*|--remove[a-z-]*|--rm"
)
_NAMED_REMOVER = re.compile(r"(?:^|[\s;&|('\"`/])(?:rm|rmdir|unlink|shred|mv)(?:$|[\s;&|)'\"`])")
_GIT_REMOVING = frozenset(
    {"checkout", "reset", "clean", "stash", "switch", "restore", "rm", "mv", "pull", "merge"}
    | {"rebase", "deinit", "gc", "prune", "repack", "am", "apply", "revert", "cherry-pick"}
)
# Package tools whose `clean` removes only their caches, which live in these folders.
_CACHE_CLEANERS = frozenset(
    {"apt-get", "apt", "yum", "dnf", "microdnf", "zypper", "apk", "conda", "npm", "yarn"}
    | {"pnpm", "gem", "composer", "pip", "pip3", "brew"}
)
_CACHES = ("/var", "/root", "/home", "/tmp", "/run")
_SHELL_STATE = frozenset({"read", "eval", "source", ".", "export", "declare", "typeset", "local"})
_SHELL_STATE |= {"unset", "getopts", "mapfile", "readarray"}


def _rootish(user: object) -> bool:
    """A RUN step's user as the post-condition reads it: root, or the base
    image's (the fix itself asks for root there, see `user_is_root`)."""
    return user in _ROOT or (isinstance(user, str) and is_unknown(user))


def _script(step: Step) -> str | None:
    """The script of a shell-form RUN step without heredocs; None for others."""
    command = step[RUN_COMMAND]
    if step[RUN_HEREDOCS] or not isinstance(command, tuple) or len(command) < 2:
        return None
    return command[-1] if isinstance(command[-1], str) else None


def _env_lookup(step: Step, text: str) -> Callable[[str], str | None]:
    """The value of a variable in a RUN step's script, where the environment
    gives it and the script does not assign it (None: not known)."""
    env = dict(step[RUN_ENV])  # type: ignore[call-overload]
    found = tokens(text) or ()
    stateful = any(t in _SHELL_STATE for t in found)

    def lookup(name: str) -> str | None:
        value = env.get(name)
        if stateful or not isinstance(value, str) or is_unknown(value):
            return None
        if re.search(rf"(?:^|[^A-Za-z0-9_]){re.escape(name)}=", text):
            return None
        return value

    return lookup


def _literal_path(word: str, lookup: Callable[[str], str | None]) -> str | None:
    """A command word read as a path pattern: quotes dropped (a quoted glob
    read as one, which can only match more), `$NAME`/`${NAME}` replaced by
    known values; None when the shell would expand anything else in it."""
    if re.search(r"[`\\]|\$\(|^~", word):
        return None
    unknown_name = False

    def value(match: re.Match[str]) -> str:
        nonlocal unknown_name
        found = lookup(match.group(1) or match.group(2))
        if found is None or "$" in found:
            unknown_name = True
            return ""
        return found

    text = re.sub(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))", value, word)
    if unknown_name or "$" in text:
        return None
    return text.replace("'", "").replace('"', "")


def _hits(path: str, target: str) -> bool:
    """Whether removing or moving what `path` (a pattern, from any folder when
    relative) names may remove the folder `target` or one above it."""
    folders = [target]
    while folders[-1] != "/":
        folders.append(posixpath.dirname(folders[-1]))
    if path.startswith("/"):
        pattern = go_clean(path)
        return any(fnmatch.fnmatchcase(f, pattern) for f in folders)
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return True
    pattern = "/".join(parts)
    for f in folders:
        names = f.strip("/").split("/") if f != "/" else []
        if len(names) >= len(parts) and fnmatch.fnmatchcase(
            "/".join(names[-len(parts) :]), pattern
        ):
            return True
    return False


def may_remove(text: str, target: str | None, lookup: Callable[[str], str | None]) -> bool:
    """Whether the script may remove (or move away) the folder `target` or a
    folder above it (None: any file): a remover (`rm`, `mv`, …) whose
    operands may name one of them, or anything else that removes files
    (`apt-get purge`, `find -delete`, `xargs rm`, `git clean`, a command named
    by a variable), but a package tool's `clean` of its caches away from
    `target`. Other commands are taken to remove nothing they are not told
    to."""
    cmds, found = commands(text), tokens(text)
    if cmds is None or found is None or re.search(r"[<>]\(", text):
        return True
    for token in found:
        # A substitution in an assignment (`x=$(rm -rf …)`) is no command's word.
        if re.search(r"\$\(|`", token) and (
            _NAMED_REMOVER.search(token)
            or any(_REMOVING_WORD.fullmatch(w) for w in re.split(r"[\s`()]+", token))
        ):
            return True
    for cmd in cmds:
        words = [w.text for w in cmd.words]
        if re.search(r"[$`]", words[0]):
            return True
        name = posixpath.basename(cmd.name)
        if name in _REMOVERS:
            if target is None:
                return True
            operands = [w for w in words[1:] if not w.startswith("-")]
            for word in operands:
                path = _literal_path(word, lookup)
                if path is None or _hits(path, target):
                    return True
            continue
        if name == "git" and any(a in _GIT_REMOVING for a in cmd.args):
            return True
        if name in ("dpkg", "rpm") and any(
            re.fullmatch(r"-[A-Za-z]*[rPe][A-Za-z]*", a) for a in cmd.args
        ):
            return True  # dpkg -r/-P, rpm -e: a package's folders may go
        removing = [a for a in cmd.args if _REMOVING_WORD.fullmatch(a)]
        if removing and not (
            target is not None
            and name in _CACHE_CLEANERS
            and all(a in ("clean", "autoclean", "cleanup") for a in removing)
            and not any(within(target, c) for c in _CACHES)
        ):
            return True
        if any(_NAMED_REMOVER.search(w) for w in words[1:]):
            return True
    return False


def _path(word: str, cwd: object, lookup: Callable[[str], str | None]) -> str | None:
    """The folder a command word names, resolved from `cwd` when relative."""
    path = _literal_path(word, lookup)
    if path is None or re.search(r"[*?\[]", path) or not path or path.startswith("-"):
        return None
    if path.startswith("/"):
        return go_clean(path)
    if not isinstance(cwd, str) or not _known(cwd):
        return None
    return go_clean(f"{cwd}/{path}")


def _made_in_run(
    text: str, cwd: object, target: str, lookup: Callable[[str], str | None], cds: bool
) -> bool:
    """Whether a RUN that succeeded made `target` (or a folder below it) with
    `mkdir` or, with `cds`, changed into it with `cd`, in a place where the
    command's failure fails the RUN: anywhere in a script of `&&` alone, or
    between `;`s after `set -e` (no other `set`); outside any subshell,
    group, `if`, loop or pipe, and before any other change of folder."""
    cmds = commands(text)
    if not cmds:
        return False
    opened, errexit, _ = prologue(text)
    chain = own_operator(text) is None
    if not chain and not (errexit and not any(c.name == "set" and c.start >= opened for c in cmds)):
        return False

    def ran(cmd: Command) -> bool:
        if "|" in (cmd.before, cmd.after) or text[: cmd.start].rstrip().endswith("!"):
            return False
        if not top_level(text, cmd.start):
            return False
        if chain:
            return True
        return (cmd.before in (";", "\n") or cmd.start == opened) and cmd.after in (";", "\n", "")

    for cmd in cmds:
        if cmd.name in ("cd", "pushd", "popd"):
            if cds and cmd.name == "cd" and len(cmd.words) == 2 and ran(cmd):
                path = _path(cmd.words[1].text, cwd, lookup)
                return path is not None and within(path, target)
            return False  # the folder changes: relative paths after it read another
        if cmd.name == "mkdir" and ran(cmd):
            words = [w.text for w in cmd.words[1:]]
            operands, skip = [], False
            for word in words:
                if skip:
                    skip = False
                elif word in ("-m", "--mode"):
                    skip = True
                elif not word.startswith("-"):
                    operands.append(word)
            for word in operands:
                path = _path(word, cwd, lookup)
                if path is not None and within(path, target):
                    return True
    return False


def folder_exists(
    steps: Sequence[Step], i: int, target: str, through: bool, image: frozenset[str]
) -> bool:
    """Whether the folder `target` provably exists when the RUN step `i` starts
    (`through`: when it ends, the RUN removing nothing that could be it): a
    step before made it (a WORKDIR to it or below it; a COPY or ADD whose
    destination is it or below it, or whose file destination is in it; a
    RUN that ran in it or below it, or made it with `mkdir` or changed into it
    with `cd` where that cannot have failed), or it is one of `image`, the
    base image's folders; and no RUN since may have removed it (see
    `may_remove`). Only the stage's own steps count."""
    if target == "/":
        return True  # every file system has its root, and no RUN removes it
    run = steps[i]
    cwd = run[RUN_CWD]
    if not through and isinstance(cwd, str) and _known(cwd) and within(cwd, target):
        return True  # BuildKit makes the folder a RUN runs in
    for k in range(i if through else i - 1, -1, -1):
        step = steps[k]
        kind = step[0]
        if kind == "run":
            text = _script(step)
            if text is None:
                return False
            lookup = _env_lookup(step, text)
            if may_remove(text, target, lookup):
                return False
            here = step[RUN_CWD]
            if isinstance(here, str) and _known(here) and within(here, target):
                return True
            if _made_in_run(text, here, target, lookup, cds=k < i):
                return True
        elif kind == "mkdir":
            made = step[1]
            if isinstance(made, str) and _known(made) and within(go_clean(made), target):
                return True
        elif kind in ("copy", "add"):
            sources, dest = step[1], step[2]
            if not isinstance(dest, str) or is_unknown(dest) or not dest.startswith("/"):
                continue
            named = sources if isinstance(sources, tuple) else ()
            if dest.endswith("/") or (named and all(s in (".", "./") for s in named)):
                made = go_clean(dest)
            else:
                made = posixpath.dirname(go_clean(dest))
            if within(made, target):
                return True
        elif kind != "unknown":
            return False
    return target in image


def _image_folders(build: BuildModel, n: int) -> frozenset[str]:
    """The folders every image a stage's chain may start from has (see
    `_IMAGE_FOLDERS`); none when the image is not one known."""
    if build.stages[n].base.startswith("stage#"):
        return frozenset()  # only the stage's own steps count
    image = build.stages[n].base
    known = default_workdir(image)
    if known is None:
        return frozenset()
    if split(image)[0] == "busybox":
        return _IMAGE_FOLDERS
    return _IMAGE_FOLDERS | _NOT_BUSYBOX_FOLDERS | {known}


def drop_trailing_cd(text: str) -> tuple[int, int, str] | None:
    """The span of the command text to remove to drop a `&& cd DIR` that
    ends it (`a && cd /src` is `a` where the cd cannot fail), with DIR as
    written; None when there is none (or the script sets a trap, which
    could read the folder at its exit)."""
    cmds = commands(text)
    if not cmds or len(cmds) < 2:
        return None
    cd = cmds[-1]
    if cd.name != "cd" or len(cd.words) != 2 or cd.before != "&&" or text[cd.end :].strip():
        return None
    if not top_level(text, cd.start) or "trap" in (tokens(text) or ("trap",)):
        return None
    at = text.rfind("&&", 0, cd.start)
    if at < 0 or text[at + 2 : cd.start].strip():
        return None
    word = cd.words[1].text
    if word in ("-", "~") or word.startswith("~"):
        return None
    return len(text[:at].rstrip()), cd.end, word


@dataclass(frozen=True)
class _Proof:
    """What is known of the folders around one RUN (see `folder_exists`)."""

    steps: Sequence[Step]
    i: int  # the RUN's step
    image: frozenset[str]
    root: bool  # the RUN runs as root: a folder that exists, its cd cannot fail

    def before(self, target: str) -> bool:
        if target == "/":
            return True  # /bin/sh is reached through it: its cd cannot fail, root or not
        return self.root and folder_exists(self.steps, self.i, target, False, self.image)

    def after(self, target: str, workdir: str) -> bool:
        """At the end of the RUN (split or not): `workdir` is the one the part
        of it being read runs in."""
        if not self.root:
            return False
        if folder_exists(self.steps, self.i, target, True, self.image):
            return True
        text = _script(self.steps[self.i])
        if text is None or not _known(workdir) or not within(workdir, target):
            return False
        return not may_remove(text, target, _env_lookup(self.steps[self.i], text))


def _proof(tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point]) -> _Proof | None:
    run = stage.instructions[n]
    point = at.get(id(run))
    if point is None:
        return None
    memo = tree.__dict__.setdefault("_cd_workdir_slash", [])
    if not memo:
        memo.append(_slash(model(tree)))
    build = memo[0]
    steps = build.stages[point.stage].steps
    later = sum(1 for node in stage.instructions[n + 1 :] if node.keyword == "run")
    runs = [k for k, step in enumerate(steps) if step[0] == "run"]
    if later >= len(runs):
        return None
    i = runs[len(runs) - 1 - later]
    root = user_is_root(tree, ShellRun(stage, run, ()))
    return _Proof(steps, i, _image_folders(build, point.stage), root)


def same_folder_span(
    text: str, cwd: str, lookup: Callable[[str], str | None]
) -> tuple[int, int] | None:
    """The span of `cd DIR && ` to drop from `text` where DIR is `cwd`, the
    folder the RUN already runs in: the `cd` cannot fail and changes nothing,
    so what follows runs as without it. Either the cd opens the script, or it
    comes later, `… && cd DIR && …`, and no command before it changes folder
    or may remove (or move away) DIR or a folder above it. None otherwise, or
    when the script reads `$PWD`/`$OLDPWD`, which the `cd` sets."""
    cmds = commands(text)
    if not cmds or not _known(cwd) or "PWD" in text:
        return None
    cd = next((c for c in cmds if c.name in ("cd", "pushd", "popd")), None)
    if cd is None or cd.name != "cd" or len(cd.words) != 2 or cd.after != "&&":
        return None
    if cd is cmds[0]:
        if text[: cd.start].strip():
            return None  # `FOO=1 cd …`
    elif cd.before != "&&" or not _AND_END.search(text, 0, cd.start):
        return None  # `… && FOO=1 cd …`, or a cd joined otherwise
    elif not top_level(text, cd.start) or may_remove(text[: cd.start], cwd, lookup):
        return None
    written = folder(cd.words[1].text, lookup)
    if written is None or go_clean(posixpath.join(cwd, written)) != cwd:
        return None
    joint = _AND.match(text, cd.end)
    return None if joint is None else (0 if cd is cmds[0] else cd.start, joint.end())


def _reduced(
    run: Instruction, proof: _Proof | None = None, point: Point | None = None
) -> Instruction:
    """`run` without the `cd /` commands whose effect nothing reads, and with
    `proof` (at `point`) without a `&& cd DIR` that ends it where DIR
    provably exists then (see `_trailing`); itself when there is none, or
    when removing one would drop a comment line."""
    if run.reading.json or run.heredocs:
        return run
    text = run.reading.rest
    trailing = _trailing(text, proof, point)
    spans = [(trailing[0], trailing[1])] if trailing else []
    spans += root_cds(text[: trailing[0]] + text[trailing[1] :] if trailing else text)
    if not spans:
        return run
    start = run.reading.rest_span.start
    if any(drops_inner_lines(run, start + a, start + b) for a, b in spans):
        return run
    try:
        return edit_many(run, [(start + a, start + b, "") for a, b in spans])
    except (ValueError, ParseError):
        return run


def _trailing(text: str, proof: _Proof | None, point: Point | None) -> tuple[int, int, str] | None:
    """`drop_trailing_cd` of `text` when its folder (absolute, a variable the
    file defines to one, or relative to the folder the RUN runs in where no
    other command of it changes folder: `cd src && make && cd ..`) provably
    exists at the end of the RUN."""
    if proof is None or point is None:
        return None
    found = drop_trailing_cd(text)
    if found is None:
        return None
    value = _trailing_folder(text, found[2], point.workdir, lambda name: _defined(point, name))
    if value is None:
        return None
    return found if proof.after(value, point.workdir) else None


def _trailing_folder(
    text: str, word: str, cwd: object, lookup: Callable[[str], str | None]
) -> str | None:
    """The folder a trailing `cd WORD` of `text` goes to: an absolute one, or
    one relative to `cwd` where the cd is the script's only change of folder."""
    value = folder(word, lookup)
    if value is None:
        return None
    if value.startswith("/"):
        return go_clean(value)
    cmds = commands(text) or ()
    moves = [c for c in cmds if c.name in ("cd", "pushd", "popd")]
    if len(moves) != 1 or not isinstance(cwd, str) or not _known(cwd) or not _PLAIN.match(cwd):
        return None
    return go_clean(posixpath.join(cwd, value))


def _made(cmd: Command, word: str) -> bool:
    """Whether `cmd` is `mkdir [-p] WORD`."""
    args = [w.text for w in cmd.words[1:]]
    options = [a for a in args if a.startswith("-")]
    return (
        len(args) - len(options) == 1
        and all(o in ("-p", "--parents") for o in options)
        and args[-1] == word
    )


def _after_joint(text: str, cmd: Command) -> int | None:
    """Where the command after `cmd && ` (or `cmd; `) starts."""
    joint = _JOINT.match(text, cmd.end)
    if joint is None or joint.group(1) != cmd.after:
        return None
    return joint.end() if joint.end() < len(text) else None


@dataclass(frozen=True)
class _Plan:
    """One cd turned into a WORKDIR: the folder, and the RUNs before and after it."""

    target: str  # the folder the WORKDIR sets
    head: Instruction | None  # the RUN of the commands before the cd, if any
    fixed: Instruction  # the RUN of the commands after it
    written: str = ""  # the WORKDIR's argument, if not the target itself

    @property
    def argument(self) -> str:
        return self.written or self.target


def _as_written(word: str, value: str, cwd: str, target: str) -> str:
    """The WORKDIR argument for `cd WORD`: the word itself where it names the
    folder through variables of the file (`$EMSDK`, `/usr/src/app-$VERSION`),
    which WORKDIR expands to the values the shell saw, so that the file keeps
    following them; else the folder."""
    if "$" not in word:
        return target
    word = _inside_quotes(word)
    if _TRIMMED.search(word):
        return target  # the trimmed value: BuildKit's WORKDIR may not trim as the shell
    if value.startswith("/"):
        return word
    if _known(cwd) and _PLAIN.match(cwd):
        return f"{cwd.rstrip('/')}/{word}"
    return target


# Commands that remove or move files: after a split, what they remove from an
# earlier layer would still weigh in the image.
_REMOVES = frozenset({"rm", "rmdir", "unlink", "mv", "shred"})
_REMOVING_SUBCOMMANDS = re.compile(
    r"remove|purge|autoremove|clean|distclean|erase|del|uninstall|prune|autoclean|-delete"
)


def _plan(tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point]) -> _Plan | str | None:
    """How the RUN at `n` becomes [RUN +] WORKDIR + RUN (without the restore),
    why it cannot (a reason, or None for no particular one). The `cd /`s whose
    effect nothing reads are dropped first (see `root_cds`). With several
    `cd`s, the first one is rewritten when the RUN left after it can be
    rewritten in turn, down to the last (the engine's next rounds do it)."""
    point = at.get(id(stage.instructions[n]))
    if point is None:
        return None
    proof = _proof(tree, stage, n, at)
    return _plan_run(_reduced(stage.instructions[n], proof, point), point, proof)


_LATER = "a later cd cannot be rewritten: "


def _plan_run(
    run: Instruction, point: Point, proof: _Proof | None, depth: int = 0
) -> _Plan | str | None:
    plan = _plan_one(run, point, proof, depth)
    if not isinstance(plan, _Plan) or not _uses_cd(plan.fixed):
        return plan
    if depth >= 3:  # one cd per round: the engine's rounds must settle
        return "more than four cd commands"
    # The RUN left after the first cd, in the new folder, must go the same way
    # (or lose its last cds as the next round's `_reduced` drops them).
    there = replace(point, workdir=plan.target)
    left = _reduced(plan.fixed, proof, there)
    if not _uses_cd(left):
        return plan
    rest = _plan_run(left, there, proof, depth + 1)
    if not isinstance(rest, _Plan):
        if not rest or rest.startswith(_LATER):
            return rest
        return f"{_LATER}{rest}"
    return plan


def _plan_one(
    run: Instruction, point: Point, proof: _Proof | None, depth: int
) -> _Plan | str | None:
    """`_plan` for the first cd of `run`, at `point` (`depth` cds into the RUN)."""
    text = run.reading.rest
    found = prefix(text)
    if found is None or point is None:
        return None
    cwd = point.workdir
    value = folder(found.word, lambda name: _defined(point, name), run.escape)
    if value is None:
        return f"the folder `{found.word}` is not a plain path, or not known"
    if not value.startswith("/") and not _known(cwd):
        return "the folder it is relative to is not known"
    target = go_clean(value if value.startswith("/") else f"{cwd}/{value}")
    if _mounted(run, target):
        return f"a mount of the RUN covers {target}"
    if found.proven:
        # The rest runs after the cd whether it worked or not: the same only
        # where it cannot fail, in a folder that exists (later cds of the
        # RUN: in the folder the RUN is in then, or one that exists at its end).
        exists = proof is not None and (
            proof.before(target)
            if depth == 0
            else within(cwd, target) or proof.after(target, point.workdir)
        )
        if not exists:
            return (
                "only a cd tied by `&&` (or `;` after `set -e`) to what follows is rewritten,"
                f" or one into a folder known to exist ({target} is not)"
            )
    rest_start = run.reading.rest_span.start
    a, b = run.raw_span(rest_start + found.cut, rest_start + found.rest)
    kept_lines: Instruction | None = None
    commented = _commented(run, a, b)
    if commented and not found.head:
        kept_lines = _cut_before_comments(run, a, b)
        if kept_lines is None:
            return "a comment line sits in the part to remove"
    if target == cwd:
        # A WORKDIR to the folder the RUN is in already would only repeat it.
        # Dropping an opening cd is same-folder's business; one after other
        # commands may return to a folder they removed and made again.
        if found.head:
            return "the RUN is in that folder already; the commands before the cd may remake it"
        return (
            "the RUN is in that folder already, and the cd stays where dropping it"
            " could change what the RUN reads, such as $PWD"
        )
    written = _as_written(found.word, value, cwd, target)
    if not found.head:
        fixed = kept_lines or edit(run, rest_start + found.cut, rest_start + found.rest, "")
        return _Plan(target, None, fixed, written)
    opened = prologue(text)[0]
    hoisted = hoistable(text[opened : found.cut], target, lambda name: _defined(point, name))
    refused = None
    if hoisted is not None and (found.semi or own_operator(text[found.rest :]) is None):
        # `echo "Installing" && cd D && …`, `set -e; apk add x; mkdir -p D; cd
        # D; …`: HEAD does the same in D, the WORKDIR goes before the RUN,
        # which only loses its `[mkdir -p D &&] cd D &&`.
        if not hoisted or (
            proof is not None and proof.root and (proof.before(target) or own_folder(target))
        ):
            c, d = rest_start + _cd_start(text, found), rest_start + found.rest
            span = run.raw_span(c, d)
            if not _commented(run, *span):
                return _Plan(target, None, edit(run, c, d, ""), written)
            # Comment lines after the cd stay, above the commands they describe.
            kept_lines = _cut_before_comments(run, *span)
            if kept_lines is None:
                return "a comment line sits in the part to remove"
            return _Plan(target, None, kept_lines, written)
        refused = (
            "the commands before the cd may make its folder, which a WORKDIR"
            f" above them would make first ({target})"
        )
    if found.semi:
        return refused or (
            "the RUN cannot be split at a cd joined by `;` (only by `&&`), and the"
            " commands before it may not run in its folder"
        )
    if commented:
        return "a comment line sits in the part to remove"
    # The commands before the cd keep their RUN; those after it get one of their
    # own, which repeats the opening `set` options and literal assignments.
    why = carries_state(text[opened : found.cut]) or own_operator(text[found.rest :])
    if why is not None:
        return f"the RUN cannot be split: {why}"
    unused = _unused_names(text[:opened], text[opened : found.cut], text[found.rest :])
    if unused:
        return f"the RUN cannot be split: `{unused[0]}=…` is not read on both sides of the cd"
    after = commands(text[found.rest :]) or ()
    if may_remove(text[found.rest :], None, lambda name: None) or any(
        c.name in _REMOVES or any(_REMOVING_SUBCOMMANDS.fullmatch(a) for a in c.args) for c in after
    ):
        return "the RUN cannot be split: the commands after the cd remove files"
    flags = [run.code[slice(*run.raw_span(f.span.start, f.span.end))] for f in run.reading.flags]
    if any("\n" in f for f in flags):
        return "the RUN cannot be split: its flags span lines"
    head_end = run.raw_span(rest_start, rest_start + found.cut)[1]
    ending = run.lines[0].ending or "\n"
    head = run.code[:head_end].rstrip(" \t") + ending
    keyword = run.keyword_as_written
    kept = ""
    if opened:
        c, d = run.raw_span(rest_start, rest_start + opened)
        if _commented(run, c, d):
            return "the RUN cannot be split: a comment line sits in the commands it repeats"
        kept = run.code[c:d]
    tail = " ".join([keyword, *flags]) + " " + kept + run.code[b:]
    try:
        return _Plan(target, with_code(run, head), with_code(run, tail), written)
    except (ValueError, ParseError):
        return None


# Package commands that read no file of the working directory when given
# options and package names only (dpkg, apk and rpm run maintainer scripts
# from `/`), and make or remove no folder a file makes for itself: installs
# and updates, no removal (a package removed may take an empty folder of its
# own with it), no download into the folder (`apt-get download`).
_PACKAGE_SUBCOMMANDS = {
    "apt-get": frozenset({"update", "install", "upgrade", "clean", "autoclean", "dist-clean"}),
    "apt": frozenset({"update", "install", "upgrade", "clean"}),
    "apk": frozenset({"add", "update", "upgrade"}),
    "yum": frozenset({"install", "clean", "makecache"}),
    "dnf": frozenset({"install", "clean", "makecache"}),
    "microdnf": frozenset({"install", "clean"}),
}
# A package name, version or option (`gnupg`, `curl=8.5.0-2`, `--virtual`,
# `.fetch-deps`, `-o`, `Acquire::Retries=3`), or a quoted one: nothing the
# shell expands, no `/` (a package file, `./app.deb`), no glob, which the
# shell would match against the files of the folder.
_PACKAGE_WORD = re.compile(r"[A-Za-z0-9.+_:=@%,-]+|'[^'\n/*?\[]*'|" + r'"[^"$`\\\n/*?\[]*"')
# Options whose value is a file or folder (a configuration file, a
# repository, a root, a cache or download folder): `apt-get -c apt.conf`,
# `apk --repositories-file repos`, `apk -X ./repo`, `dnf --setopt=reposdir=r`.
# Repository names (`--enablerepo=epel`) are names.
_PATH_OPTION = re.compile(
    r"(?:-[cXp]|--(?!enablerepo|disablerepo)[\w-]*(?:config|repo|root|dir|file|keys|path|download)"
    r"[\w-]*|--setopt=[\w.-]*(?:dir|path|file|root|repo)[\w.-]*)(?:=(?P<value>.*))?"
)
_OPTIONS_WITH_VALUE = frozenset({"-o", "-t", "-c", "-X", "-p", "--repository", "--virtual"})
_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!&'()*+,;=%-]+")
_PACKAGE_FILE = re.compile(r"\.(?:deb|rpm|apk)['\"]?\Z")
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)
# `savedAptMark="$(apt-mark showmanual)"` (the official images' way to purge
# what they install for a build): a query of the package database.
_APT_MARK = re.compile(
    r"""[A-Za-z_][A-Za-z0-9_]*=(?:"\$\(apt-mark showmanual\)"|\$\(apt-mark showmanual\))"""
)


def hoistable(head: str, target: str, lookup: Callable[[str], str | None]) -> bool | None:
    """Whether the commands `head` (those before a `cd TARGET` in a RUN) do
    the same in TARGET as in the RUN's folder, whether TARGET exists before
    them or not (a WORKDIR above them makes it first): True where they may
    make folders (a package install, `mkdir -p`), so that TARGET must exist
    before the RUN or be one the file makes for itself (`own_folder`); False
    where they only print messages or set variables; None where they may
    read or change what the folder holds.

    Read word by word: fixed messages (`echo`, `printf`), `true`, assignments
    of literal values or of `$(apt-mark showmanual)`, installs and updates of
    packages by name (`_PACKAGE_SUBCOMMANDS`; variables the file defines to
    names), `mkdir -p` of absolute paths, and `rm` of absolute paths that
    cannot be TARGET or a folder above it; joined by `&&`, `||`, `;` or
    newlines, with no pipe, background job, subshell, group, `if` or loop,
    and no redirection but to an absolute path."""
    if not head.strip():
        return None
    marked = marked_lexemes(head)
    if marked is None:
        return None
    makes = False
    scratch = Scratch()
    lookup = _with_assigned([(text, op) for text, op, _ in marked], lookup)
    command: list[str] = []
    closed = False  # right after a `case` statement's `esac`
    for op, is_operator, syntax in [*marked, ("", True, False)]:
        if syntax:
            # `case WORD in PATTERN) …;; esac`: the branch's commands are read
            # like the others, whichever runs; the word and the patterns must
            # run nothing (a pattern is matched against the word, not files).
            if not is_operator and ("$(" in op or "`" in op) and not computed_word(op, lookup):
                return None
            closed = op == "esac"
            if not command:
                continue
            op = ";"
        elif not is_operator:
            command.append(op)
            closed = False
            continue
        if op not in ("&&", "||", ";", "|", "\n", ""):
            return None
        if closed and not command and op != "|":
            closed = False
            continue  # `esac;`: the operator after the case statement
        if command:
            taken = scratch.take(command, op == "|", lookup, target)
            if taken is False:
                return None
            kind = False if taken else _hoisted_command(command, target, lookup)
            if kind is None:
                return None
            makes = makes or kind
        elif op != "":
            return None  # an empty command: `&& &&`, `;;`
        command = []
    return makes if scratch.clean() else None


def _operand_path(word: str, lookup: Callable[[str], str | None]) -> str | None:
    """The absolute path an operand names: written out (`/tmp/x`), or a
    variable whose known value is one with no blank or glob (`"$GNUPGHOME"`,
    `$TMPDIR`); None otherwise."""
    if _ABSOLUTE.fullmatch(word):
        return word
    value = variable_value(word, lookup)
    if value is None or is_unknown(value) or not _ABSOLUTE.fullmatch(value) or _GLOB.search(value):
        return None
    return value


def _listed(word: str, lookup: Callable[[str], str | None]) -> bool:
    """Whether a word of a `for` loop's list is plain text with no glob, or a
    variable the file sets to such words (blanks split it into several)."""
    if not _GLOB.search(word) and stable_word(word, lookup):
        return True
    value = variable_value(word, lookup)
    return value is not None and not is_unknown(value) and not re.search(r"[*?\[$`\\'\"]", value)


def _temporary(word: str, target: str, lookup: Callable[[str], str | None]) -> bool:
    """Whether `word` assigns a fresh `mktemp -d` folder, made under a
    `$TMPDIR` that is not the WORKDIR's folder or below it."""
    if temporary_folder(word) is None:
        return False
    base = _temporary_base(lookup)
    return base is not None and not within(base, target)


def _from_base(value: str) -> bool:
    """Whether a variable's value is whatever the base image gives it (none of
    the images dockfix knows sets GNUPGHOME or TMPDIR)."""
    return is_unknown(value) and value.strip("\x00").startswith("base:")


def _temporary_base(lookup: Callable[[str], str | None]) -> str | None:
    """Where `mktemp -d` makes its folder: `$TMPDIR` where the file sets it to
    an absolute path, `/tmp` where nothing does; None where not known."""
    tmpdir = lookup("TMPDIR")
    if tmpdir is None or _from_base(tmpdir):
        return "/tmp"
    if is_unknown(tmpdir) or not _ABSOLUTE.fullmatch(tmpdir):
        return None
    return go_clean(tmpdir)


def _with_assigned(
    lexed: Sequence[tuple[str, bool]], lookup: Callable[[str], str | None]
) -> Callable[[str], str | None]:
    """`lookup`, and the variables the script itself assigns once: a literal
    value as written (`buildDeps=' curl make '`), a URL as a URL whatever it
    expands (`URL="https://…/${V}.tgz"`), so that `apk add $buildDeps` reads
    as an install of packages by name and `curl -o a.tgz $URL` as a download."""
    values: dict[str, str | None] = {}
    for word, is_operator in lexed:
        name, eq, value = word.partition("=")
        if not is_operator and temporary_folder(word) is not None:
            # A fresh folder under $TMPDIR: no folder of the file's own.
            base = _temporary_base(lookup)
            once = name not in values and base is not None
            values[name] = f"{base}/tmp.mktemp" if once else None
            continue
        if is_operator or not eq or not expanded_assignment(word):
            continue
        if re.match(r"[\"']?https?://[A-Za-z0-9.-]+/", value):
            url = re.sub(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*", "x", value.strip("\"'"))
            # Assigned again (in each branch of a `case`, say): a URL either way.
            if name not in values or _URL.fullmatch(values[name] or ""):
                values[name] = url
            else:
                values[name] = None
            continue
        if name in values:
            values[name] = None  # assigned twice: which one a word reads is not told
            continue
        if _LITERAL_ASSIGNMENT.fullmatch(word) or re.fullmatch(r"'[^']*'", value):
            values[name] = value.strip("\"'") if value[:1] in "'\"" else value
        else:
            values[name] = None

    def assigned(name: str) -> str | None:
        if name not in values:
            return lookup(name)
        return values[name] if values[name] is not None else unknown(f"script:{name}")

    return assigned


def _hoisted_command(
    words: list[str], target: str, lookup: Callable[[str], str | None]
) -> bool | None:
    """`hoistable` for one simple command's words."""
    while words and words[0] in _IF_WORDS:
        words = words[1:]  # the commands of an `if` do the same, whichever runs
    while words and (
        _APT_MARK.fullmatch(words[0])
        or expanded_assignment(words[0])
        or computed_assignment(words[0], lookup)
        or _temporary(words[0], target, lookup)
    ):
        words = words[1:]
    if not words:
        return False
    name, args = words[0], words[1:]
    if name == "for":
        # `for key in $KEYS; do`: the list is split and globbed, so plain words,
        # or variables the file sets to words without a glob.
        listed = args[2:] if args[1:2] == ["in"] else None
        if not args or not _NAME.fullmatch(args[0]) or listed is None:
            return None
        return False if all(_listed(w, lookup) for w in listed) else None
    if name in RESERVED:
        return None
    if name in ("break", "continue") and all(a.isdigit() for a in args):
        return False
    if name == "gpg":
        home = lookup("GNUPGHOME")
        if home is not None and not home.startswith("/") and not _from_base(home):
            return None  # a key folder relative to the folder the RUN is in
        paths = _redirects_removed(args)
        if paths is None:
            return None
        checked = signature_check(paths, lookup, lambda w: _operand_path(w, lookup) is not None)
        return False if checked else None
    if name == "gpgconf" and args in (["--kill", "all"], ["--kill", "gpg-agent"]):
        return False
    if name in ("echo", "printf"):
        # A message, with variables the shell neither splits nor globs, to
        # the output or the error stream.
        printed = [a for a in args if not re.fullmatch(r"[12]?>&[12]", a)]
        fixed = all(_MESSAGE_WORD.fullmatch(w) or stable_word(w, lookup) for w in printed)
        return False if fixed else None
    if name in ("true", ":") and not args:
        return False
    if name == "exit" and len(args) == 1 and args[0].isdigit() and int(args[0]) % 256:
        return False  # the build fails before the cd, wherever it runs
    if name in ("[", "test"):
        return False if string_test(name, args, lookup, target) else None
    if name == "export":
        return (
            False
            if args
            and all(
                _LITERAL_ASSIGNMENT.fullmatch(a)
                or computed_assignment(a, lookup)
                or exported_assignment(a, lookup)
                or _APT_MARK.fullmatch(a)
                or _temporary(a, target, lookup)
                or _NAME.fullmatch(a)  # `export GNUPGHOME`: the name only
                for a in args
            )
            else None
        )
    if name == "git":
        dest = _clone_destination(args, lookup)
        if dest is None or (dest != target and above(dest, target)):
            return None  # not a clone of a URL, or one that the WORKDIR's folders fill
        # Into the folder itself (git fills an empty one as one it makes), below
        # it (making folders, as `mkdir -p`), or elsewhere (making nothing here).
        return dest != target and within(dest, target)
    if name == "docker-php-source" and args in (["extract"], ["delete"]):
        # The php images' own script: unpacks /usr/src/php.tar.xz into
        # /usr/src/php (made with mkdir -p), or removes /usr/src/php.
        if args == ["delete"]:
            return None if _hits("/usr/src/php", target) else False
        return True
    ancestors = [target]
    while ancestors[-1] != "/":
        ancestors.append(posixpath.dirname(ancestors[-1]))
    paths = _redirects_removed(args)
    if paths is None:
        return None
    if name in ("mkdir", "rm"):
        options = [a for a in paths if _OPTION.fullmatch(a)]
        operands = [a for a in paths if not _OPTION.fullmatch(a) and a != "--"]
        operands = [_operand_path(a, lookup) or "" for a in operands]
        if not operands or not all(operands):
            return None
        if name == "rm":
            return None if any(_hits(a, target) for a in operands) else False
        parents = any(o in ("-p", "--parents") for o in options)
        if not parents and any(go_clean(a) in ancestors for a in operands):
            return None  # `mkdir /src` fails where a WORKDIR made /src first
        # `mkdir -p DIR` (or a folder above it) makes what the WORKDIR makes,
        # with the same owner and mode: nothing left for it to make.
        return not (parents and all(go_clean(a) in ancestors for a in operands))
    if name in ("curl", "wget"):
        return False if transfer(name, paths, lookup, target) else None
    if name == "tar":
        return False if extraction(paths, target) else None
    subcommands = _PACKAGE_SUBCOMMANDS.get(name)
    if subcommands is None:
        return None
    # The subcommand: the first word that is not an option or an option's value.
    plain = [
        a
        for k, a in enumerate(paths)
        if not _OPTION.fullmatch(a) and (k == 0 or paths[k - 1] not in _OPTIONS_WITH_VALUE)
    ]
    if not plain or plain[0] not in subcommands:
        return None
    value_of: int | None = None
    for n, word in enumerate(paths):
        if n == value_of:
            continue  # checked with its option
        option = _PATH_OPTION.fullmatch(word)
        if option is not None:
            # A file or folder the tool reads: a relative one is read from the folder.
            given = option["value"]
            if given is None:
                given, value_of = (paths[n + 1] if n + 1 < len(paths) else ""), n + 1
            if not (_URL.fullmatch(given) or _ABSOLUTE.fullmatch(given)):
                return None
            continue
        for value in _expanded(word, lookup):
            if not (_PACKAGE_WORD.fullmatch(value) or _URL.fullmatch(value)):
                return None
            if _PACKAGE_FILE.search(value):
                return None
    return True


# `if`, `then`, `else`, `elif`, `fi`, and a loop's `do` and `done`, before a
# command's words: the commands inside do the same, whichever run and however
# often.
_IF_WORDS = frozenset({"if", "then", "else", "elif", "fi", "do", "done"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_GLOB = re.compile(r"[*?\[]")
# Options of `git clone` that take the next word as their value.
_CLONE_VALUED = frozenset(
    {"-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "-j", "--jobs"}
)


def _clone_destination(args: list[str], lookup: Callable[[str], str | None]) -> str | None:
    """The absolute folder of `git ARGS` when it is `git clone [OPTIONS] URL
    DIR`, the URL written out or a variable the file sets to one (a build
    argument: its default): git reads no file of the folder it starts in,
    and clones into a folder a WORKDIR made first as it does into one it
    makes (an empty folder is accepted; one that held files made the old
    clone fail too). None for anything else."""
    if not args or args[0] != "clone":
        return None
    operands: list[str] = []
    n = 1
    while n < len(args):
        arg = args[n]
        if arg in _CLONE_VALUED:
            if n + 1 >= len(args) or not stable_word(args[n + 1], lookup):
                return None
            n += 2
            continue
        if arg.startswith("-"):
            if not re.fullmatch(r"--?[a-z][a-z-]*(?:=[A-Za-z0-9_.:=-]+)?", arg):
                return None
        else:
            operands.append(arg)
        n += 1
    if len(operands) != 2 or not _ABSOLUTE.fullmatch(operands[1]):
        return None
    url = variable_value(operands[0], lookup) or operands[0]
    written = url.startswith(("https://", "http://")) and stable_word(url, lookup)
    if not (_URL.fullmatch(url) or written):
        return None
    return go_clean(operands[1])


def _redirects_removed(args: list[str]) -> list[str] | None:
    """`args` without redirections to absolute paths (`>/dev/null`, `2>&1`,
    `> /dev/null`); None where one names a relative path."""
    kept: list[str] = []
    skip = False
    for n, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if _REDIRECT.fullmatch(arg):
            continue
        if re.fullmatch(r"[0-9]*(?:>>?|<)", arg):
            if n + 1 >= len(args) or not _ABSOLUTE.fullmatch(args[n + 1]):
                return None
            skip = True
            continue
        if re.match(r"[0-9]*[<>]", arg):
            return None
        kept.append(arg)
    return kept


def _expanded(word: str, lookup: Callable[[str], str | None]) -> list[str]:
    """The words `word` stands for: itself, or the value of the variable it
    names (`$PHPIZE_DEPS`), split at blanks; `["$"]` (no package word) where
    the value is unknown or the word holds more than one variable."""
    found = _VARIABLE.fullmatch(word)
    if found is None:
        return [word]
    value = lookup(found["braced"] or found["plain"])
    if value is None or is_unknown(value):
        return ["$"]
    return value.split() or [""]


# Top-level folders of the file system's own (FHS): packages put files there.
_SYSTEM_FOLDERS = frozenset(
    {"bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "media", "mnt", "opt"}
    | {"proc", "run", "sbin", "srv", "sys", "usr", "var"}
)
# Folders under them that hold a build's or a user's own files.
_OWN_FOLDERS = ("/usr/src", "/usr/local/src")
# /usr/local's own folders (the FHS's), where a package may at most make an
# empty folder for the administrator (Debian Policy 9.1.2; Fedora's and
# Alpine's packages keep out of /usr/local altogether): its other folders
# are the file's own.
_LOCAL_FHS = frozenset(
    {"bin", "etc", "games", "include", "lib", "lib32", "lib64", "libexec", "man", "sbin", "share"}
)


def own_folder(target: str) -> bool:
    """Whether `target` is a folder packages do not make, so that a WORKDIR
    making it before a package install finds the same folder the install
    left alone: under `/tmp`, `/root`, `/home` or another top-level folder
    outside the FHS (`/app`, `/src`, `/build`), or `/usr/src`,
    `/usr/local/src` (sources packages ship go in folders named after them,
    which no file makes for itself with `mkdir -p` to build in) and below,
    or a folder of `/usr/local` outside its FHS ones (`/usr/local/jetty`)."""
    parts = target.strip("/").split("/")
    if not parts[0]:
        return False
    if parts[0] not in _SYSTEM_FOLDERS:
        return True
    if parts[:2] == ["usr", "local"] and len(parts) > 2 and parts[2] not in _LOCAL_FHS:
        return True  # `/usr/local/jetty`: no package puts a folder of its own there
    return any(target == own or target.startswith(own + "/") for own in _OWN_FOLDERS)


# Words an `echo` or `printf` prints the same in any folder: plain text, or
# quotes around text with nothing the shell expands (no glob, `$`, backtick).
_MESSAGE_WORD = re.compile(r"[A-Za-z0-9_.,:=@%+/#!-]+|'[^'\n]*'|" + r'"[^"$`\\\n]*"')


def _cd_start(text: str, found: _Prefix) -> int:
    """Where the `cd` of `found` starts in `text` (its `mkdir` first, if any)."""
    cmds = commands(text) or ()
    k = next(k for k, c in enumerate(cmds) if c.name == "cd")
    return cmds[k - 1 if found.mkdir else k].start


def _defined(point: Point, name: str) -> str:
    """A variable's value at the RUN; an unknown one when nothing defines it."""
    value = point.lookup(name)
    return unknown(name) if value is None else value


def _known(cwd: str) -> bool:
    return bool(cwd) and not is_unknown(cwd) and cwd.startswith("/")


def _uses_cd(run: Instruction) -> bool:
    text = run.reading.rest
    cmds = commands(text)
    if cmds is None:
        return bool(re.search(r"(^|[;&|(\s])cd(\s|$)", text))
    return any(c.name == "cd" for c in cmds)


def _check(tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point]) -> Finding | None:
    """The RUN at `n`'s finding, worked out once per tree: whether it needs a
    restore asks the same of the later RUNs (`_fixed`), down the stage."""
    memo: dict[int, Finding | None] = tree.__dict__.setdefault("_cd_workdir_checks", {})
    key = id(stage.instructions[n])
    if key not in memo:
        memo[key] = _check_run(tree, stage, n, at)
    return memo[key]


def _check_run(tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point]) -> Finding | None:
    run = stage.instructions[n]
    if not _uses_cd(run):
        return None
    message = "RUN changes folder with cd: use WORKDIR"
    reduced = _reduced(run, _proof(tree, stage, n, at), at.get(id(run)))
    if reduced is not run and not _uses_cd(reduced):
        # Only `cd`s whose effect nothing reads: they go, nothing else changes.
        if _adds_run_pair(tree, stage, n, at, (reduced,)):
            return Finding(RULE, run, f"{message} ({_PAIR})")
        change = Edit((run,), (reduced,))
        trailing = _trailing(run.reading.rest, _proof(tree, stage, n, at), at.get(id(run)))
        title = "Drop `cd /`" if trailing is None else "Drop the last `cd`"
        return Finding(
            RULE,
            run,
            message,
            Fix((change,), Safety.UNSAFE, title, postcondition=POSTCONDITION),
        )
    dropped = _same_folder(run, at.get(id(run)))
    if dropped is not None:
        if _adds_run_pair(tree, stage, n, at, (dropped,)):
            return Finding(RULE, run, f"{message} ({_PAIR})")
        return Finding(
            RULE,
            run,
            "RUN changes with cd to the folder it runs in already: drop the cd",
            Fix(
                (Edit((run,), (dropped,)),),
                Safety.UNSAFE,
                "Drop the cd",
                postcondition=POSTCONDITION,
            ),
        )
    plan = _plan(tree, stage, n, at)
    if not isinstance(plan, _Plan):
        why = plan or (
            "the cd is inside a subshell, group, `if` or loop, which its folder does not outlive"
            if _nested_cd(run.reading.rest)
            else "only a cd tied by `&&` (or `;` after `set -e`) to what follows is rewritten"
        )
        return Finding(RULE, run, f"{message} ({why})")
    cwd = at[id(run)].workdir
    needed = _needs_restore(tree, stage, n, at, plan)
    known = _known(cwd) and bool(_PLAIN.match(cwd))
    if needed and not known:
        return Finding(RULE, run, f"{message} (the working directory to return to is not known)")
    whole = _change(tree, stage, n, at, plan, [needed] if needed or not known else [False, True])
    if whole is None:
        return Finding(RULE, run, f"{message} ({_PAIR})")
    return Finding(
        RULE,
        run,
        message,
        Fix((whole,), Safety.UNSAFE, f"Use WORKDIR {plan.target}", postcondition=POSTCONDITION),
    )


def _change(
    tree: Dockerfile,
    stage: Stage,
    n: int,
    at: dict[int, Point],
    plan: _Plan,
    restores: list[bool],
) -> Edit | None:
    """The one edit (applied whole or not at all) that turns the RUN at `n`
    into `plan`'s WORKDIR and RUN(s), with or without the working directory
    put back after them (the first of `restores` with which no two
    one-command RUNs end up side by side, hadolint's DL3059: a restore that
    is not needed may still keep them apart); None where every way would."""
    run = stage.instructions[n]
    style = tree.style
    comments = tree.comments_above(run)
    cwd = at[id(run)].workdir
    for restore in restores:
        # A WORKDIR to that folder right after the RUN (one this fix put back
        # after an earlier cd of the RUN, say) moves up instead of being
        # repeated, unless the RUNs around it would then make a pair.
        following = None if restore else _next_workdir(tree, run, plan)
        # A WORKDIR above that nothing reads before the new one (one this fix
        # put there for an earlier cd of the RUN, say) is replaced, not kept.
        replaced = _replaced_workdir(tree, stage, n, at) if not (restore or plan.head) else ()
        for moved in ([following] if following is not None else []) + [None]:
            workdir = moved or style.instruction("workdir", plan.argument)
            if plan.head is None:
                new: tuple[Node, ...] = (*replaced[1:], workdir, *comments, plan.fixed)
            else:
                new = (*comments, plan.head, workdir, plan.fixed)
            if restore:
                new = (*new, style.instruction("workdir", cwd))
            if not _adds_run_pair(tree, stage, n, at, new, 2 if moved else 1):
                return Edit((*replaced, *comments, run, *((moved,) if moved else ())), new)
    return None


def _replaced_workdir(
    tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point]
) -> tuple[Node, ...]:
    """The WORKDIR above the RUN at `n` with what stands between them, where
    a WORKDIR put right above the RUN may replace it: only instructions that
    read no working directory between (`_CONFIG_ONLY`), and a plain absolute
    folder that existed before it (so that it made nothing). Empty where
    there is none. (The caller also wants no restore after the RUN, which
    would name the folder again.)"""
    run = stage.instructions[n]
    k = n - 1
    while k >= 0 and stage.instructions[k].keyword in _CONFIG_ONLY:
        k -= 1
    if k < 0 or stage.instructions[k].keyword != "workdir":
        return ()
    node = stage.instructions[k]
    args = node.reading.args
    if len(args) != 1 or not args[0].startswith("/") or not _PLAIN.match(args[0]):
        return ()
    if "\n" in node.code.rstrip("\r\n") or tree.comments_above(node):
        return ()
    proof = _proof(tree, stage, n, at)
    if proof is None or not proof.root:
        return ()
    made = [j for j in range(proof.i) if proof.steps[j][0] == "mkdir"]
    if not made or made[-1] != proof.i - 1 or proof.steps[made[-1]][1] != go_clean(args[0]):
        return ()
    # Whether the folder existed before the WORKDIR: asked of the steps
    # without it, the RUN's own folder not known (it is the WORKDIR's).
    step = proof.steps[proof.i]
    steps = [*proof.steps[: made[-1]], *proof.steps[made[-1] + 1 : proof.i]]
    steps.append((*step[:RUN_CWD], unknown("cwd"), *step[RUN_CWD + 1 :]))
    if not folder_exists(steps, len(steps) - 1, go_clean(args[0]), False, proof.image):
        return ()
    comments = tree.comments_above(run)
    return tuple(tree.items[tree.index(node) : tree.index(comments[0] if comments else run)])


def _next_workdir(tree: Dockerfile, run: Instruction, plan: _Plan) -> Instruction | None:
    """The `WORKDIR` right after `run` (no comment or blank line between) that
    sets the folder the plan changes to, when it can move before the commands
    after the cd: those cannot remove the folder, which it would make again."""
    index = tree.index(run) + 1
    node = tree.items[index] if index < len(tree.items) else None
    if not isinstance(node, Instruction) or node.keyword != "workdir":
        return None
    args = node.reading.args
    if len(args) != 1 or not args[0].startswith("/") or not _PLAIN.match(args[0]):
        return None
    if go_clean(args[0]) != plan.target or "\n" in node.code.rstrip("\r\n"):
        return None
    if may_remove(plan.fixed.reading.rest, plan.target, lambda name: None):
        return None
    return node


_PAIR = "the RUN left would sit by another one-command RUN (hadolint's DL3059)"
_COMPOUND = re.compile(r"(?:^|[;&|(\s])(?:if|then|else|elif|do|while|until|for|case|\{)\s")


def _nested_cd(text: str) -> bool:
    """Whether the first cd of `text` stands in a subshell, group or compound
    command (read roughly, for the message only)."""
    found = commands(text) or ()
    cd = next((c for c in found if c.name == "cd"), None)
    if cd is None:
        return False
    before = text[: cd.start]
    return (
        cd.before == "(" or before.count("(") > before.count(")") or bool(_COMPOUND.search(before))
    )


def _same_folder(run: Instruction, point: Point | None) -> Instruction | None:
    """`run` without a `cd DIR &&` into the folder it runs in already (see
    `same_folder_span`), or None."""
    if point is None or run.reading.json or run.heredocs:
        return None
    here = point
    span = same_folder_span(run.reading.rest, point.workdir, lambda name: _defined(here, name))
    if span is None:
        return None
    start = run.reading.rest_span.start
    a, b = run.raw_span(start + span[0], start + span[1])
    if _commented(run, a, b):
        return None
    return edit(run, start + span[0], start + span[1], "")


def _single(node: Node) -> bool:
    """A RUN of one command, as hadolint's DL3059 counts them."""
    if not isinstance(node, Instruction) or node.keyword != "run":
        return False
    if node.reading.json:
        return True
    found = commands(node.reading.rest)
    return found is not None and len(found) == 1 and not node.heredocs


def _flags(node: Instruction) -> tuple[str, ...]:
    return tuple(f.text for f in node.reading.flags)


def _adds_run_pair(
    tree: Dockerfile,
    stage: Stage,
    n: int,
    at: dict[int, Point],
    new: Sequence[Node],
    replaced: int = 1,
) -> bool:
    """Whether putting `new` in place of the RUN at `n` (and the instructions
    after it, `replaced` in all) may set two
    one-command RUNs with the same flags next to each other (comments between
    do not count), which hadolint reports (DL3059); the RUN with its `cd` had
    two commands at least. A neighbour RUN with a `cd` of its own counts in
    every form this fix may give it in the same round."""
    made = [node for node in new if isinstance(node, Instruction)]
    if not made:
        return False
    nodes = stage.instructions
    pairs: list[tuple[Instruction, Instruction]] = list(pairwise(made))
    if n > 0:
        pairs += [(form, made[0]) for form in _forms(tree, stage, n - 1, at)]
    if n + replaced < len(nodes):
        pairs += [(made[-1], form) for form in _forms(tree, stage, n + replaced, at)]
    return any(_single(a) and _single(b) and _flags(a) == _flags(b) for a, b in pairs)


def _forms(tree: Dockerfile, stage: Stage, k: int, at: dict[int, Point]) -> list[Instruction]:
    """The instruction at `k` and the RUNs this fix may leave in its place
    next to its neighbours: without its `cd`s, or the commands before its
    `cd` when it is split."""
    node = stage.instructions[k]
    if node.keyword != "run" or not _uses_cd(node):
        return [node]
    forms = [node, _reduced(node), _reduced(node, _proof(tree, stage, k, at), at.get(id(node)))]
    dropped = _same_folder(node, at.get(id(node)))
    if dropped is not None:
        forms.append(dropped)
    plan = _plan(tree, stage, k, at)
    if isinstance(plan, _Plan) and plan.head is not None:
        forms.append(plan.head)
    return forms


def _cut_before_comments(run: Instruction, a: int, b: int) -> Instruction | None:
    """`run` without the raw span [a, b) of a `cd DIR` (and what goes with
    it) whose continuation has comment (or blank) lines before the rest, with
    those lines kept where they were, above the commands they describe. Two
    ways: its whole lines go (`    && cd /src \\` in a chain of `&&`s that
    open their lines, or a `cd /src; \\` line of its own), or only the
    span's part of its line goes (`RUN cd /src && \\` becomes `RUN \\`).
    Only where BuildKit reads the result exactly as it reads `run` with the
    whole span removed (the command text, spaces included); None otherwise."""
    starts = list(accumulate((len(p.raw) for p in run.parts), initial=0))
    first, last = bisect_right(starts, a) - 1, bisect_right(starts, b) - 1
    if not first < last < len(run.parts):
        return None
    line = run.parts[first]
    if not isinstance(line, Line):
        return None
    code = run.code
    between = run.parts[first + 1 : last]
    comments = "".join(p.raw for p in between if not isinstance(p, Line))
    candidates = [code[: starts[first]] + comments + code[starts[last] :]]
    if not any(isinstance(p, Line) for p in between) and not code[starts[last] : b].strip(" \t"):
        cut_end = starts[first] + len(line.body)
        candidates.append(code[:a].rstrip(" \t") + " " + code[cut_end:].lstrip(" \t"))
    try:
        removed = with_code(run, code[:a] + code[b:]).dump()
    except (ValueError, ParseError):
        return None
    for candidate in candidates:
        try:
            kept = with_code(run, candidate)
        except (ValueError, ParseError):  # not one instruction: the keyword's line went
            continue
        if kept.dump() == removed:
            return kept
    return None


def _commented(run: Instruction, a: int, b: int) -> bool:
    """Whether comment (or blank) lines of the RUN's continuation lie in its
    raw span [a, b)."""
    offset = 0
    for part in run.parts:
        end = offset + len(part.raw)
        if offset < b and end > a and not isinstance(part, Line):
            return True
        offset = end
    return False


def _mounted(run: Instruction, target: str) -> bool:
    for flag in run.reading.flags:
        if flag.name != "mount" or not flag.value:
            continue
        for item in flag.value.split(","):
            key, _, value = item.partition("=")
            if key.strip().lower() in ("target", "dst", "destination"):
                mount = go_clean(value if value.startswith("/") else "/" + value)
                if target == mount or target.startswith(mount.rstrip("/") + "/"):
                    return True
    return False


def _needs_restore(
    tree: Dockerfile, stage: Stage, n: int, at: dict[int, Point], plan: _Plan | None = None
) -> bool:
    """Whether the working directory must be put back after the RUN: unless
    an absolute WORKDIR replaces it before anything uses it, or the next thing
    that uses it is a RUN this fix turns into a WORKDIR (first) and a RUN too.
    A COPY or ADD to an absolute destination does not use it, nor does a RUN
    whose commands do the same in any folder (`runs_anywhere`) while the
    `plan`'s folder, where it now runs, still exists."""
    # The plan's folder, where a later RUN now runs, unless the RUN removes it.
    there = plan.target if plan is not None else None
    if plan is not None and may_remove(plan.fixed.reading.rest, plan.target, lambda name: None):
        there = None
    for k in range(n + 1, len(stage.instructions)):
        node = stage.instructions[k]
        if node.keyword == "workdir":
            return not _absolute(node, at.get(id(node)))
        if node.keyword == "run" and not node.reading.json and not node.heredocs:
            if there is not None and _runs_there(node, there, at.get(id(node))):
                continue
            return not _fixed(tree, stage, k, at) or has_pragma_above(tree, node)
        if node.keyword in ("copy", "add") and node.reading.args:
            if node.reading.args[-1].startswith("/"):
                continue  # an absolute destination: the working directory is not read
            return True
        if node.keyword not in _CONFIG_ONLY:
            return True
    # The end of the stage: its working directory is the image's, or the one
    # a stage built FROM it starts with; else nothing reads it.
    point = at[id(stage.instructions[n])]
    return passes_on(model(tree), point.stage)


def _runs_there(run: Instruction, folder: str, point: Point | None) -> bool:
    """`runs_anywhere` for a later RUN without flags (a mount's target may be
    relative to the folder), its variables as the file defines them."""
    if point is None or run.reading.flags:
        return False
    return runs_anywhere(run.reading.rest, folder, lambda name: _defined(point, name))


def runs_anywhere(script: str, folder: str, lookup: Callable[[str], str | None]) -> bool:
    """Whether a RUN's `script` does the same in `folder` (which exists) as in
    the folder it ran in before: what `hoistable` reads as doing the same
    there, and nothing that removes the folder or one above it."""
    return hoistable(script, folder, lookup) is not None


def _absolute(workdir: Instruction, point: Point | None) -> bool:
    """Whether a WORKDIR sets an absolute folder, its variables of the file
    expanded (`WORKDIR ${APP_HOME}`)."""
    word = workdir.reading.args[0] if workdir.reading.args else ""
    if point is None:
        return word.startswith("/") and bool(_PLAIN.match(word))
    value = folder(word, lambda name: _defined(point, name), workdir.escape)
    return value is not None and value.startswith("/")


def passes_on(build: BuildModel, n: int) -> bool:
    """Whether the working directory stage `n` ends with reaches an image:
    the last stage's is the image's, and a stage built FROM it starts with it
    (so does a FROM whose image is not known: a build argument could name
    the stage). `COPY --from` and `RUN --mount=from=` read only files."""
    if n >= len(build.stages) - 1:
        return True
    return any(s.base == f"stage#{n}" or is_unknown(s.base) for s in build.stages[n + 1 :])


def _fixed(tree: Dockerfile, stage: Stage, k: int, at: dict[int, Point]) -> bool:
    """Whether the RUN at `k` gets a fix that starts with its WORKDIR (no
    commands of its own run before it; not a fix that only drops a `cd`), its
    restore, if it needs one, possible."""
    finding = _check(tree, stage, k, at)
    if finding is None or finding.fix is None:
        return False
    new = finding.fix.edits[0].new
    return bool(new) and isinstance(new[0], Instruction) and new[0].keyword == "workdir"


# --- post-condition ---------------------------------------------------------------

_CD = re.compile(
    r"(?:mkdir[ \t]+(?:(?:-p|--parents)[ \t]+)?(?P<made>\S+)[ \t]*(?P<j1>&&|;|\n)[ \t]*)?"
    r"cd[ \t]+(?P<folder>\S+)[ \t]*(?P<j2>&&|;|\n)[ \t]*"
)
_AND = re.compile(r"[ \t]*&&[ \t]*")
_AND_END = re.compile(r"&&[ \t]*\Z")


def _cd_at(text: str, at: int) -> re.Match[str] | None:
    """`_CD` at `at`, where a `mkdir` is of the folder the `cd` enters (in
    `mkdir /pkg && cd /src`, the `mkdir` is a command of its own)."""
    match = _CD.match(text, at)
    if match is not None and match["made"] is not None and match["made"] != match["folder"]:
        return None
    return match


def cd_becomes_workdir(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A `RUN [HEAD &&] [mkdir -p DIR &&] cd DIR && REST` step that became
    [the `RUN HEAD` step,] a `WORKDIR DIR` folder step, the `RUN REST` step in
    DIR and, if there is one, the folder step putting the working directory
    back; every other field of the RUN steps unchanged. Without HEAD, `set`
    options opening the command stay in front of REST, and with `set -e`
    among them, `;` may join the removed commands; with `&&` only, REST has
    no operator that would run a command of it after a failed `cd`."""
    if i >= len(old) or old[i][0] != "run":
        return None
    run = old[i]
    command = run[RUN_COMMAND]
    if not isinstance(command, tuple) or not command or not isinstance(command[-1], str):
        return None
    for text in _variants(old, i, command[-1]):
        taken = _cd_becomes_workdir(old, i, new, j, command[:-1], text)
        if taken is not None:
            return taken
    return None


def workdir_replaced(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A WORKDIR step to a folder that existed before it, then a RUN step in
    that folder that `cd_becomes_workdir` rewrites: the rewrite's WORKDIR
    stands for both (`_replaced_workdir`), the old one having made nothing."""
    if i + 1 >= len(old) or old[i][0] != "mkdir" or old[i + 1][0] != "run":
        return None
    made, run = old[i][1], old[i + 1]
    cwd = run[RUN_CWD]
    if not isinstance(made, str) or not isinstance(cwd, str) or go_clean(made) != go_clean(cwd):
        return None
    if not _rootish(run[RUN_USER]):
        return None
    probe = [*old[:i], (*run[:RUN_CWD], unknown("cwd"), *run[RUN_CWD + 1 :])]
    image = _IMAGE_FOLDERS | _NOT_BUSYBOX_FOLDERS
    if not folder_exists(probe, i, go_clean(made), False, image):
        return None
    taken = cd_becomes_workdir([*old[:i], *old[i + 1 :]], i, new, j)
    return None if taken is None else (taken[0] + 1, taken[1])


def run_elsewhere(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A RUN step that now runs in another folder, and nothing else about it
    changed (no mount flags, which may name paths relative to it): where its
    script does the same in any folder (`runs_anywhere`) and the new folder
    existed before it (the WORKDIR of an earlier rewrite made it, and no RUN
    since may have removed it), as `_needs_restore` leaves it."""
    if i >= len(old) or j >= len(new) or old[i][0] != "run" or new[j][0] != "run":
        return None
    a, b = old[i], new[j]
    if a[:RUN_CWD] + a[RUN_CWD + 1 :] != b[:RUN_CWD] + b[RUN_CWD + 1 :] or a[RUN_FLAGS]:
        return None
    folder_, command = b[RUN_CWD], b[RUN_COMMAND]
    if not isinstance(folder_, str) or not _known(folder_) or not folder_.startswith("/"):
        return None
    if not isinstance(command, tuple) or not command or not isinstance(command[-1], str):
        return None
    env = dict(a[RUN_ENV])  # type: ignore[call-overload]
    if not runs_anywhere(command[-1], go_clean(folder_), lambda name: env.get(name, unknown(name))):
        return None
    probe = [*new[:j], (*b[:RUN_CWD], unknown("cwd"), *b[RUN_CWD + 1 :])]
    image = _IMAGE_FOLDERS | _NOT_BUSYBOX_FOLDERS
    if not folder_exists(probe, j, go_clean(folder_), False, image):
        return None
    return (1, 1)


def _variants(old: Sequence[Step], i: int, text: str) -> list[str]:
    """The scripts the fix may read a RUN's script as: itself, without the
    `cd /`s whose effect nothing reads, and without a `&& cd DIR` that ends it
    where DIR provably exists then (see `_trailing_dropped`)."""
    found = [drop_root_cds(text), text]
    trailing = _trailing_dropped(old[i], text, old, i)
    if trailing is not None:
        found += [drop_root_cds(trailing), trailing]
    return list(dict.fromkeys(found))


def _trailing_dropped(run: Step, text: str, steps: Sequence[Step] = (), i: int = -1) -> str | None:
    """`text` without the `&& cd DIR` that ends it, where DIR is absolute (or
    a variable of the environment holding an absolute path, or relative to
    the RUN's folder where no other command changes folder) and, given the
    stage's `steps` with the RUN at `i`, provably exists at the end of the
    RUN, which runs as root (or the image's user); the base image's folders
    read as those of any known image. Without steps, only the form."""
    found = drop_trailing_cd(text)
    if found is None:
        return None
    env = dict(run[RUN_ENV])  # type: ignore[call-overload]
    value = _trailing_folder(
        text, found[2], run[RUN_CWD], lambda name: env.get(name, unknown(name))
    )
    if value is None:
        return None
    if steps and not (
        _rootish(run[RUN_USER])
        and folder_exists(steps, i, value, True, _IMAGE_FOLDERS | _NOT_BUSYBOX_FOLDERS)
    ):
        return None
    return text[: found[0]] + text[found[1] :]


def _cd_becomes_workdir(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int, shell: tuple[object, ...], text: str
) -> tuple[int, int] | None:
    """`cd_becomes_workdir` for the old RUN read as `shell` running `text`."""
    run = old[i]
    at = 0
    k = j
    kept, errexit, joints = "", False, []
    hoist: tuple[int, str, str] | None = None
    if k < len(new) and new[k][0] == "run":  # the commands before the cd, in their own RUN
        head = new[k][RUN_COMMAND]
        if not isinstance(head, tuple) or head[:-1] != shell or not isinstance(head[-1], str):
            return None
        if new[k][:RUN_COMMAND] + new[k][RUN_COMMAND + 1 :] != run[:RUN_COMMAND] + run[
            RUN_COMMAND + 1 :
        ] or not text.startswith(head[-1]):
            return None
        joint = _AND.match(text, len(head[-1]))
        if joint is None:
            return None
        at, k = joint.end(), k + 1
        # The opening `set` options and literal assignments, repeated.
        kept = text[: prologue(text)[0]]
        if len(kept) >= len(head[-1]):
            return None
    else:
        at, errexit, last = prologue(text)
        kept = text[:at]
        joints = [last] if last else []
        env = dict(run[RUN_ENV])  # type: ignore[call-overload]
        hoist = _after_hoisted(text, at, errexit, lambda name: env.get(name, unknown(name)))
        if hoist is not None:  # `echo "## Install" && cd DIR && REST`, kept whole
            at, kept = hoist[0], text[: hoist[0]]
            joints = [hoist[1]]
    if k + 1 >= len(new) or new[k][0] != "mkdir" or new[k + 1][0] != "run":
        return None
    made, moved = new[k], new[k + 1]
    cwd, user = run[RUN_CWD], run[RUN_USER]
    written_target = made[1]
    if made[2] != user or not isinstance(written_target, str) or not isinstance(cwd, str):
        return None
    # BuildKit keeps an absolute WORKDIR as written (`/app//src/`); the folder is the same.
    target = go_clean(written_target)
    match = _cd_at(text, at)
    rest = moved[RUN_COMMAND]
    if match is None or not isinstance(rest, tuple) or rest != (*shell, kept + text[match.end() :]):
        return None
    if not top_level(text, match.start()):
        return None  # split inside a subshell, group, `if` or loop: two broken scripts
    joints += [match["j2"]] + ([match["j1"]] if match["made"] is not None else [])
    # With other joints, or an operator of the rest's own, the rest would run
    # after a failed cd: the same only where the cd cannot fail.
    may = k == j and match["made"] is None and kept == text[: prologue(text)[0]]
    proven = False
    if all(joint == "&&" for joint in joints):
        if own_operator(text[match.end() :]) is not None:
            if not may:
                return None
            proven = True
    elif not (errexit and all(joint in (";", "\n") for joint in joints)):
        if not may:
            return None
        proven = True
    env = dict(run[RUN_ENV])  # type: ignore[call-overload]
    written = folder(match["folder"], lambda name: env.get(name, unknown(name)))
    if written is None:
        return None
    if not written.startswith("/") and (is_unknown(cwd) or not cwd.startswith("/")):
        return None
    if go_clean(written if written.startswith("/") else f"{cwd}/{written}") != target:
        return None
    if proven and not (
        _rootish(user)
        and folder_exists(old, i, target, False, _IMAGE_FOLDERS | _NOT_BUSYBOX_FOLDERS)
    ):
        return None
    if hoist is not None:
        # HEAD now runs in DIR, after the WORKDIR made it: the same where it
        # reads no file of the folder and makes no DIR of its own (else DIR
        # existed before the RUN, or is one of the file's own folders).
        makes = hoistable(hoist[2], target, lambda name: env.get(name, unknown(name)))
        if makes is None:
            return None
        if makes and not (
            _rootish(user)
            and (
                folder_exists(old, i, target, False, _IMAGE_FOLDERS | _NOT_BUSYBOX_FOLDERS)
                or own_folder(target)
            )
        ):
            return None
    expected = list(run)
    expected[RUN_COMMAND] = rest
    expected[RUN_CWD] = written_target
    if tuple(expected) != moved:
        return None
    taken = k + 2 - j
    # The WORKDIR right after the old RUN, to DIR, moved up to be the folder
    # step (`_next_workdir`): the same where REST cannot remove DIR.
    if _repeats(old, i + 1, made) > _repeats(new, k + 2, made) and not may_remove(
        str(rest[-1]), target, lambda name: None
    ):
        return (2, taken)
    # The step putting the folder back is one more of `mkdir cwd` than the old
    # file has right after the RUN: when a later `WORKDIR` sets that same
    # folder (so nothing is put back), the step after the RUN is that WORKDIR's
    # and belongs to the old file, not to this rewrite.
    restore: Step = ("mkdir", cwd, user)
    # Nor is it when the next old step is a RUN rewritten to start with a
    # `WORKDIR` to that folder (the fix puts nothing back before one).
    if _repeats(new, k + 2, restore) > _repeats(old, i + 1, restore) and (
        cd_becomes_workdir(old, i + 1, new, k + 2) is None
    ):
        taken += 1
    return (1, taken)


def _after_hoisted(
    text: str, at: int, errexit: bool, lookup: Callable[[str], str | None]
) -> tuple[int, str, str] | None:
    """Where `[mkdir -p DIR &&] cd DIR` starts after commands that do the
    same in DIR (`hoistable`) from `at` on, the operator before it (`&&`,
    or with `set -e` (`errexit`) `;` or a newline) and those commands."""
    if _cd_at(text, at):
        return None
    cmds = commands(text[at:]) or ()
    for n, cmd in enumerate(cmds):
        if cmd.name == "cd" or (
            cmd.name == "mkdir" and n + 1 < len(cmds) and cmds[n + 1].name == "cd"
        ):
            start = at + cmd.start
            match = _cd_at(text, start)
            if match is None or (cmd.name == "mkdir" and match["made"] is None):
                continue
            head = text[at:start].rstrip(" \t")
            joint = next((j for j in ("&&", ";", "\n") if head.endswith(j)), None)
            if joint is None or (joint != "&&" and not errexit):
                return None
            head = head[: -len(joint)]
            target = go_clean(match["folder"]) if match["folder"].startswith("/") else "/"
            if hoistable(head, target, lookup) is None:
                return None
            return start, joint, head
    return None


def _repeats(steps: Sequence[Step], start: int, step: Step) -> int:
    """How many steps from `start` on are `step`."""
    count = 0
    while start + count < len(steps) and steps[start + count] == step:
        count += 1
    return count


def root_cds_dropped(old: str, new: str) -> str | None:
    """`new` is `old` without the `cd /` commands whose effect nothing reads."""
    if new != old and new == drop_root_cds(old):
        return None
    return "the change is not `cd /`s that nothing reads dropped"


def same_folder_cd_dropped(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A RUN step whose `cd DIR &&` to the folder it runs in went (at its
    start, or later where nothing before may remove DIR), and nothing else."""
    if i >= len(old) or j >= len(new) or old[i][0] != "run" or new[j][0] != "run":
        return None
    run = old[i]
    command, cwd = run[RUN_COMMAND], run[RUN_CWD]
    if not isinstance(command, tuple) or not command or not isinstance(command[-1], str):
        return None
    if not isinstance(cwd, str):
        return None
    env = dict(run[RUN_ENV])  # type: ignore[call-overload]

    def lookup(name: str) -> str:
        return str(env.get(name, unknown(name)))

    text = command[-1]
    span = same_folder_span(text, cwd, lookup)
    if span is None:
        return None
    expected = list(run)
    expected[RUN_COMMAND] = (*command[:-1], text[: span[0]] + text[span[1] :])
    return (1, 1) if tuple(expected) == new[j] else None


def trailing_cd_dropped(
    old: Sequence[Step], i: int, new: Sequence[Step], j: int
) -> tuple[int, int] | None:
    """A RUN step whose `&& cd DIR` at the end went (see `_trailing_dropped`),
    and the `cd /`s whose effect nothing reads, and nothing else."""
    if i >= len(old) or j >= len(new) or old[i][0] != "run" or new[j][0] != "run":
        return None
    run = old[i]
    command = run[RUN_COMMAND]
    if not isinstance(command, tuple) or not command or not isinstance(command[-1], str):
        return None
    dropped = _trailing_dropped(run, command[-1], old, i)
    if dropped is None:
        return None
    for text in dict.fromkeys((dropped, drop_root_cds(dropped))):
        expected = list(run)
        expected[RUN_COMMAND] = (*command[:-1], text)
        if tuple(expected) == new[j]:
            return (1, 1)
    return None


_RULES = (
    cd_becomes_workdir,
    workdir_replaced,
    run_elsewhere,
    script_rewritten(root_cds_dropped),
    same_folder_cd_dropped,
    trailing_cd_dropped,
)


def postcondition(before: Dockerfile, after: Dockerfile) -> str | None:
    """The build is the same but for the step changes `_RULES` explain, the
    history, and the working directory a stage ends with where no image gets
    it (see `passes_on`)."""
    old, new = _slash(model(before)), _slash(model(after))
    why = compare(old, new, _RULES, ("history", "config.workdir"))
    if why is not None:
        return why
    for n, (a, b) in enumerate(zip(old.stages, new.stages, strict=True)):
        if a.config.get("workdir") != b.config.get("workdir") and passes_on(old, n):
            return f"stage {n + 1}: the image config's workdir differs"
    return None


def _slash(build: BuildModel) -> BuildModel:
    """`build` with the base image's working directory read as the folder
    known for the image the stage's chain starts from (`_roots`; `/` where it
    sets none, and a `WORKDIR /` then changes nothing: `""` (none set) and
    `/` are the same folder for RUN, COPY, ADD and the container, and `//x`
    is `/x`)."""
    rooted = with_base_workdir(build, default_workdir)

    def path(value: object) -> object:
        if value == "":
            return "/"
        if isinstance(value, str) and value.startswith("//"):
            return value[1:]
        return value

    stages = []
    for s in rooted.stages:
        steps: list[tuple[object, ...]] = []
        for step in s.steps:
            if step[0] == "run":
                step = (*step[:RUN_CWD], path(step[RUN_CWD]), *step[RUN_CWD + 1 :])
            elif step[0] in ("copy", "add"):
                step = (step[0], step[1], path(step[2]), path(step[3]), *step[4:])
            elif step[0] == "mkdir":
                step = (step[0], path(step[1]), *step[2:])
            steps.append(step)
        config = dict(s.config)
        if "workdir" in config:
            config["workdir"] = path(config["workdir"])
        history = [
            (e[0], *(path(v) for v in e[1:])) if e[0] in ("workdir", "copy", "add") else e
            for e in s.history
        ]
        stages.append(StageModel(s.name, s.base, s.platform, steps, config, history))
    return BuildModel(rooted.meta_args, stages)


POSTCONDITION = postcondition
