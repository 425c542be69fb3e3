"""Post-conditions for fixes that rewrite build steps (dockfix.rewrites), and
for each such fix, a deliberately wrong rewrite its post-condition catches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import dockfix
from dockfix import engine
from dockfix.build import instruction
from dockfix.config import Settings
from dockfix.registry import FixModule, lookup
from dockfix.rewrites import (
    add_becomes_copy,
    dest_gains_slash,
    joined_by_and,
    rewrites,
    runs_merged,
)
from dockfix.rule import Context, Edit, Finding, Fix, Safety
from dockfix.tree import Dockerfile, Instruction


def _holds(condition: object, before: str, after: str) -> str | None:
    return condition(dockfix.parse(before), dockfix.parse(after))  # type: ignore[operator]


def test_equal_builds_pass_any_rewrite() -> None:
    text = "FROM a\nADD x /y\nRUN make\n"
    assert _holds(rewrites(add_becomes_copy), text, text) is None


def test_add_becomes_copy() -> None:
    rule = rewrites(add_becomes_copy)
    before = "FROM a\nADD --chown=1 x /y\nRUN make\n"
    assert _holds(rule, before, "FROM a\ncopy --chown=1 x /y\nRUN make\n") is None
    assert _holds(rule, before, "FROM a\nCOPY --chown=1 x /z\nRUN make\n") is not None
    assert _holds(rule, before, "FROM a\nCOPY x /y\nRUN make\n") is not None
    assert _holds(rule, before, "FROM a\nCOPY --chown=1 x /y\nRUN make all\n") is not None
    # Only ADD may become COPY, not the other way.
    assert _holds(rule, "FROM a\nCOPY x /y\n", "FROM a\nADD x /y\n") is not None


def test_dest_gains_slash() -> None:
    rule = rewrites(dest_gains_slash)
    assert _holds(rule, "FROM a\nCOPY a b /x\n", "FROM a\nCOPY a b /x/\n") is None
    assert (
        _holds(rule, "FROM a\nWORKDIR /w\nCOPY a b .\n", "FROM a\nWORKDIR /w\nCOPY a b ./\n")
        is None
    )
    assert _holds(rule, "FROM a\nCOPY a b /x\n", "FROM a\nCOPY a b /x/y\n") is not None
    assert _holds(rule, "FROM a\nCOPY a b /x\n", "FROM a\nCOPY a c /x/\n") is not None
    assert _holds(rule, "FROM a\nCOPY a b /x\n", "FROM a\nADD a b /x/\n") is not None


@pytest.mark.parametrize(
    ("parts", "text", "joined"),
    [
        (["a", "b"], "a && b", True),
        (["a", "b"], "a &&     b", True),
        (["a", "b"], "a    && b", True),
        (["a", "b"], "a ; b", False),
        (["a", "b"], "a && b && c", False),
        # Blanks outside quotes only separate words: an argument's line may move.
        (["a x", "b"], "a  x && b", True),
        (["a \\\n    x", "b"], "a \\\n        x && b", True),
        (['a "x  y"', "b"], 'a "x y" && b', False),  # quoted blanks are the word itself
        (["a 'x  y'", "b"], "a 'x y' && b", False),
        (["a\\  x", "b"], "a\\ x && b", False),  # an escaped blank too
        (["a x", "b"], "ax && b", False),
        (["a", "b", "c"], "a && b && c", True),
    ],
)
def test_joined_by_and(parts: list[str], text: str, joined: bool) -> None:
    assert joined_by_and(parts, text) is joined


def test_runs_merged() -> None:
    rule = rewrites(runs_merged)
    before = "FROM a\nRUN a\nRUN b\nRUN c\n"
    assert _holds(rule, before, "FROM a\nRUN a && b && c\n") is None
    assert _holds(rule, before, "FROM a\nRUN a && \\\n    b\nRUN c\n") is None
    assert _holds(rule, before, "FROM a\nRUN a && b || c\n") is not None
    assert _holds(rule, before, "FROM a\nRUN a && c && b\n") is not None
    # Different flags, users or folders never merge.
    flags = "FROM a\nRUN --network=none a\nRUN b\n"
    assert _holds(rule, flags, "FROM a\nRUN --network=none a && b\n") is not None
    users = "FROM a\nRUN a\nUSER x\nRUN b\n"
    assert _holds(rule, users, "FROM a\nRUN a && b\nUSER x\n") is not None


def test_pipefail_postcondition() -> None:
    from dockfix.fixes.pipefail import postcondition

    before = "FROM debian:12\nRUN a | b\nCMD run\n"
    bash = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
    assert _holds(postcondition, before, f"FROM debian:12\n{bash}RUN a | b\nCMD run\n") is None
    # The shell without pipefail, another shell, or another command: caught.
    plain = 'SHELL ["/bin/bash", "-c"]\n'
    assert _holds(postcondition, before, f"FROM debian:12\n{plain}RUN a | b\nCMD run\n")
    zsh = 'SHELL ["/bin/zsh", "-o", "pipefail", "-c"]\n'
    assert _holds(postcondition, before, f"FROM debian:12\n{zsh}RUN a | b\nCMD run\n")
    assert _holds(postcondition, before, f"FROM debian:12\n{bash}RUN a | c\nCMD run\n")
    assert _holds(postcondition, before, f"FROM debian:12\n{bash}RUN a | b\nCMD other\n")
    # Not bash found in PATH (another one may come first), nor dash, in place of sh.
    for wrong in ("bash", "sh", "/bin/dash"):
        shell = f'SHELL ["{wrong}", "-o", "pipefail", "-c"]\n'
        assert _holds(postcondition, before, f"FROM debian:12\n{shell}RUN a | b\nCMD run\n")
    # An existing shell gains -o pipefail.
    edited = 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN a | b\nCMD run\n'
    fixed = 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nCMD run\n'
    assert _holds(postcondition, edited, fixed) is None
    # A base image (no CMD or ENTRYPOINT) keeps the shell in its config: set
    # back after the piped RUN, to the default or to its own SHELL.
    base = "FROM debian:12\nRUN a | b\nRUN c\n"
    reset = 'SHELL ["/bin/sh", "-c"]\n'
    assert _holds(postcondition, base, f"FROM debian:12\n{bash}RUN a | b\n{reset}RUN c\n") is None
    assert _holds(postcondition, base, f"FROM debian:12\n{bash}RUN a | b\nRUN c\n{reset}") is None
    assert _holds(postcondition, base, f"FROM debian:12\n{bash}RUN a | b\nRUN c\n")
    own = base.replace("RUN a", f"{plain}RUN a")
    back = f"FROM debian:12\n{bash}RUN a | b\n{plain}RUN c\n"
    assert _holds(postcondition, own, back) is None
    assert _holds(postcondition, own, f"FROM debian:12\n{bash}RUN a | b\n{reset}RUN c\n")
    # A RUN that pipefail would fail, or bash read differently, keeps its shell:
    # the set-back SHELL must come before it, not after.
    risky = "FROM debian:12\nRUN a | b\nRUN yes | c\nRUN echo -e x\nCMD run\n"
    right = f"FROM debian:12\n{bash}RUN a | b\n{reset}RUN yes | c\nRUN echo -e x\nCMD run\n"
    assert _holds(postcondition, risky, right) is None
    late = f"FROM debian:12\n{bash}RUN a | b\nRUN yes | c\n{reset}RUN echo -e x\nCMD run\n"
    assert _holds(postcondition, risky, late)
    later = f"FROM debian:12\n{bash}RUN a | b\nRUN yes | c\nRUN echo -e x\n{reset}CMD run\n"
    assert _holds(postcondition, risky, later)
    # The same for a shell-form CMD, which keeps the shell it ran with.
    cmd = "FROM debian:12\nRUN a | b\nCMD ls /x | head -1\n"
    kept = f"FROM debian:12\n{bash}RUN a | b\n{reset}CMD ls /x | head -1\n"
    assert _holds(postcondition, cmd, kept) is None
    assert _holds(postcondition, cmd, f"FROM debian:12\n{bash}RUN a | b\nCMD ls /x | head -1\n")


def test_cd_becomes_workdir() -> None:
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /app\nRUN cd sub && make\nCOPY . .\n"
    good = "FROM a\nWORKDIR /app\nWORKDIR /app/sub\nRUN make\nWORKDIR /app\nCOPY . .\n"
    assert _holds(rule, before, good) is None
    # The folder not put back: the COPY goes elsewhere.
    assert _holds(rule, before, "FROM a\nWORKDIR /app\nWORKDIR /app/sub\nRUN make\nCOPY . .\n")
    # Another folder, another command, or a cd the rest depends on: caught.
    assert _holds(rule, before, good.replace("/app/sub", "/sub"))
    assert _holds(rule, before, good.replace("RUN make", "RUN make all"))
    assert _holds(rule, "FROM a\nWORKDIR /app\nRUN cd sub; make\n", good)
    # A split inside a subshell leaves two scripts that do not parse: caught.
    nested = "FROM a\nWORKDIR /w\nRUN mkdir /s && (echo hi && cd /s && touch a)\n"
    cut = "FROM a\nWORKDIR /w\nRUN mkdir /s && (echo hi\nWORKDIR /s\nRUN touch a)\nWORKDIR /w\n"
    assert _holds(rule, nested, cut)
    made = "FROM a\nWORKDIR /w\nRUN mkdir -p /b && cd /b && make\n"
    assert _holds(rule, made, "FROM a\nWORKDIR /w\nWORKDIR /b\nRUN make\nWORKDIR /w\n") is None
    other = "FROM a\nWORKDIR /w\nRUN mkdir -p /c && cd /b && make\n"
    assert _holds(rule, other, "FROM a\nWORKDIR /w\nWORKDIR /b\nRUN make\nWORKDIR /w\n")


def test_cd_later_workdir_to_the_same_folder() -> None:
    """A later `WORKDIR` to the folder the RUN ran in is the old file's step,
    not a restore the fix added (the rule used to take it as one)."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /app\nRUN cd /tmp && make\nWORKDIR /app\n"
    good = "FROM a\nWORKDIR /app\nWORKDIR /tmp\nRUN make\nWORKDIR /app\n"
    assert _holds(rule, before, good) is None
    # With the restore too (one more WORKDIR /app): also the same build.
    restored = good + "WORKDIR /app\n"
    assert _holds(rule, before, restored) is None
    # The later WORKDIR gone: caught.
    assert _holds(rule, before, "FROM a\nWORKDIR /app\nWORKDIR /tmp\nRUN make\n")
    # Two more than the old file: caught.
    assert _holds(rule, before, restored + "WORKDIR /app\n")


def test_cd_next_run_starts_with_the_same_folder() -> None:
    """A RUN rewritten without a restore, followed by one rewritten to start
    with a WORKDIR to the folder it would have put back: that WORKDIR is the
    second RUN's, not a restore of the first (the rule used to take it)."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /t\nRUN cd /t && a\nRUN cd /t && b\n"
    good = "FROM a\nWORKDIR /t\nWORKDIR /t\nRUN a\nWORKDIR /t\nRUN b\nWORKDIR /t\n"
    assert _holds(rule, before, good) is None
    assert _holds(rule, before, good.replace("RUN b", "RUN c"))


def test_cd_replaces_a_workdir_that_made_nothing() -> None:
    """A WORKDIR right above the RUN, to a folder that existed before it,
    followed by a RUN whose cd becomes a WORKDIR: the new one stands for
    both (the RUN's first cd, hoisted in an earlier round, say)."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM debian:12\nWORKDIR /tmp\nRUN echo hi && cd /opt/x && make\nWORKDIR /srv\n"
    good = "FROM debian:12\nWORKDIR /opt/x\nRUN echo hi && make\nWORKDIR /srv\n"
    assert _holds(rule, before, good) is None
    # Config instructions between read no folder: the same.
    shell = 'SHELL ["/bin/bash", "-c"]\n'
    assert (
        _holds(rule, before.replace("RUN", shell + "RUN"), good.replace("RUN", shell + "RUN"))
        is None
    )
    # A folder the old WORKDIR made (/srv/new did not exist): caught.
    made = before.replace("/tmp", "/srv/new")
    assert _holds(rule, made, good)
    # A COPY between reads the folder: caught.
    copied = before.replace("RUN", "COPY a b\nRUN")
    assert _holds(rule, copied, good.replace("RUN", "COPY a b\nRUN"))


def test_cd_later_run_in_the_new_folder() -> None:
    """No folder put back before a RUN that does the same in any folder: it
    runs in the new one, which exists (a RUN since could have removed it)."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM debian:12\nRUN cd /opt/a && make\nRUN mkdir -p /opt/b\nCOPY x /x\n"
    good = "FROM debian:12\nWORKDIR /opt/a\nRUN make\nRUN mkdir -p /opt/b\nCOPY x /x\n"
    assert _holds(rule, before + "WORKDIR /\n", good + "WORKDIR /\n") is None
    # A RUN that reads the folder (a relative path), now read in another one: caught.
    reads = before.replace("mkdir -p /opt/b", "mkdir -p b")
    assert _holds(rule, reads + "WORKDIR /\n", good.replace("/opt/b", "b") + "WORKDIR /\n")
    # The folder removed first: the later RUN would run where it is gone.
    gone = "FROM debian:12\nRUN cd /opt/a && make && rm -rf /opt/a\nRUN mkdir -p /opt/b\n"
    fixed = "FROM debian:12\nWORKDIR /opt/a\nRUN make && rm -rf /opt/a\nRUN mkdir -p /opt/b\n"
    assert _holds(rule, gone + "WORKDIR /\n", fixed + "WORKDIR /\n")


def test_cd_splits_a_run() -> None:
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /w\nENV D=/d\nRUN fetch && cd $D && make\n"
    good = "FROM a\nWORKDIR /w\nENV D=/d\nRUN fetch\nWORKDIR /d\nRUN make\nWORKDIR /w\n"
    assert _holds(rule, before, good) is None
    # The head changed, the folder differs, or the rest runs before the head: caught.
    assert _holds(rule, before, good.replace("RUN fetch", "RUN fetch -q"))
    assert _holds(rule, before, good.replace("WORKDIR /d", "WORKDIR /e"))
    swapped = "FROM a\nWORKDIR /w\nENV D=/d\nWORKDIR /d\nRUN make\nWORKDIR /w\nRUN fetch\n"
    assert _holds(rule, before, swapped)
    # A folder from a variable nothing defines is not known.
    unknown = "FROM a\nWORKDIR /w\nRUN fetch && cd $D && make\n"
    assert _holds(rule, unknown, good.replace("ENV D=/d\n", ""))


def test_cd_after_a_set_prologue() -> None:
    """`set` options opening the RUN stay in front of the rest; with `set -e`,
    `;` may join the mkdir and the cd, never without it."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /w\nRUN set -eux; mkdir b; cd b; make\n"
    good = "FROM a\nWORKDIR /w\nWORKDIR /w/b\nRUN set -eux; make\nWORKDIR /w\n"
    assert _holds(rule, before, good) is None
    # The prologue dropped, or moved into a RUN of its own: caught.
    assert _holds(rule, before, good.replace("set -eux; make", "make"))
    split = "FROM a\nWORKDIR /w\nRUN set -eux\nWORKDIR /w/b\nRUN make\nWORKDIR /w\n"
    assert _holds(rule, before, split)
    # Without -e (or with +e after it) a failed cd would not stop make: caught.
    for options in ("-ux", "-e +e"):
        plain = before.replace("-eux", options)
        assert _holds(rule, plain, good.replace("-eux", options))
    # `&&` joints: a command after `;` in the rest would run after a failed cd.
    chained = "FROM a\nWORKDIR /w\nRUN set -x && cd /b && make; make check\n"
    fixed = "FROM a\nWORKDIR /w\nWORKDIR /b\nRUN set -x && make; make check\nWORKDIR /w\n"
    assert _holds(rule, chained, fixed)
    assert (
        _holds(rule, chained.replace("; make check", ""), fixed.replace("; make check", "")) is None
    )


def test_cd_hoisted_above_installs() -> None:
    """A WORKDIR above the whole RUN, the commands before the cd kept in the
    new folder: only commands that do the same there, and a folder they
    cannot make themselves (it existed, or the file makes one of its own)."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    head = "set -eux; apk add --no-cache gnupg"
    before = f"FROM alpine:3.20\nRUN {head}; mkdir -p /usr/src; cd /usr/src; wget x; rm -rf y\n"
    good = f"FROM alpine:3.20\nWORKDIR /usr/src\nRUN {head}; wget x; rm -rf y\nWORKDIR /\n"
    assert _holds(rule, before, good) is None
    # Joined with `&&`, messages first: the same.
    chained = "FROM alpine:3.20\nRUN echo '## Build' && mkdir -p /b && cd /b && make\n"
    assert (
        _holds(
            rule, chained, "FROM alpine:3.20\nWORKDIR /b\nRUN echo '## Build' && make\nWORKDIR /\n"
        )
        is None
    )
    # A command before the cd that reads or writes the folder: caught.
    for other in ("wget -O a.tgz x", "apk add --no-cache ./local.apk", "apk add py3-*"):
        assert _holds(
            rule,
            before.replace(head, f"set -eux; {other}"),
            good.replace(head, f"set -eux; {other}"),
        ), other
    # Without `set -e`, `;` lets the rest run in the old folder after a failed cd.
    assert _holds(rule, before.replace("-eux", "-ux"), good.replace("-eux", "-ux"))
    # A folder packages make (no mkdir of the file's own), or a system one: caught.
    nginx = "FROM alpine:3.20\nRUN set -e; apk add nginx; cd /etc/nginx; rm -f a\n"
    assert _holds(
        rule,
        nginx,
        "FROM alpine:3.20\nWORKDIR /etc/nginx\nRUN set -e; apk add nginx; rm -f a\nWORKDIR /\n",
    )
    opt = before.replace("/usr/src", "/opt/tool")
    assert _holds(rule, opt, good.replace("/usr/src", "/opt/tool"))
    # The head's commands changed or dropped: caught.
    assert _holds(rule, before, good.replace("gnupg", "gnupg curl"))
    assert _holds(rule, before, good.replace(f"{head}; ", "set -eux; "))


def test_cd_into_a_quoted_or_trimmed_variable() -> None:
    """`cd "$HOME_DIR"` and `cd "${INI%/php}"` name the folders the shell
    computes: a WORKDIR to another one is caught."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    env = "FROM debian:12\nENV INI=/usr/local/etc/php\n"
    before = env + 'RUN set -e; cd "${INI%/php}"; ls\n'
    good = env + "WORKDIR /usr/local/etc\nRUN set -e; ls\nWORKDIR /\n"
    assert _holds(rule, before, good) is None
    assert _holds(rule, before, good.replace("/usr/local/etc\n", "/usr/local/etc/php\n"))
    assert (
        _holds(
            rule,
            before.replace("%/php", "#/usr"),
            good.replace("/usr/local/etc\n", "/local/etc/php\n"),
        )
        is None
    )
    quoted = env + 'RUN set -e; cd "$INI"; ls\n'
    assert _holds(rule, quoted, env + "WORKDIR $INI\nRUN set -e; ls\nWORKDIR /\n") is None
    assert _holds(rule, quoted, env + "WORKDIR /usr/local\nRUN set -e; ls\nWORKDIR /\n")


def test_cd_split_repeats_the_opening() -> None:
    """A split RUN repeats its opening `set` options and literal assignments
    in the RUN after the cd, exactly: not dropped, changed or half-kept."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /w\nRUN set -ex && X=1 && fetch $X && cd /s && make $X\n"
    good = (
        "FROM a\nWORKDIR /w\nRUN set -ex && X=1 && fetch $X\n"
        "WORKDIR /s\nRUN set -ex && X=1 && make $X\nWORKDIR /w\n"
    )
    assert _holds(rule, before, good) is None
    for wrong in ("RUN make $X", "RUN set -ex && make $X", "RUN X=1 && make $X"):
        assert _holds(rule, before, good.replace("RUN set -ex && X=1 && make $X", wrong)), wrong
    assert _holds(rule, before, good.replace("&& X=1 && make", "&& X=2 && make"))
    # A command that is not an opening one is not repeated.
    fetched = before.replace("set -ex && X=1", "set -ex && fetch && X=1")
    again = good.replace("set -ex && X=1", "set -ex && fetch && X=1")
    assert _holds(rule, fetched, again)


def test_cd_into_a_folder_that_exists() -> None:
    """A cd not tied by `&&` to all that follows becomes a WORKDIR only where
    it cannot fail: the folder provably exists (a COPY, WORKDIR or mkdir
    before it made it, and nothing since may have removed it)."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /w\nCOPY . /src\nRUN cd /src; make || true\n"
    good = "FROM a\nWORKDIR /w\nCOPY . /src\nWORKDIR /src\nRUN make || true\nWORKDIR /w\n"
    assert _holds(rule, before, good) is None
    # Nothing made the folder, or a RUN since may have removed it: caught.
    assert _holds(rule, before.replace("COPY . /src\n", ""), good.replace("COPY . /src\n", ""))
    removed = "COPY . /src\nRUN rm -rf /src\n"
    assert _holds(
        rule, before.replace("COPY . /src\n", removed), good.replace("COPY . /src\n", removed)
    )
    for remover in ("x=$(rm -rf /src)", "find / -delete", "rm -rf $X", "mv /src /old"):
        gone = f"COPY . /src\nRUN {remover}\n"
        assert _holds(
            rule, before.replace("COPY . /src\n", gone), good.replace("COPY . /src\n", gone)
        ), remover
    kept = "COPY . /src\nRUN rm -rf /var/lib/apt/lists/* /src/tmp\n"
    assert (
        _holds(rule, before.replace("COPY . /src\n", kept), good.replace("COPY . /src\n", kept))
        is None
    )
    # A COPY of a file makes its folder, not a folder of its name.
    file = before.replace("COPY . /src", "COPY a /src")
    assert _holds(rule, file, good.replace("COPY . /src", "COPY a /src"))
    made = before.replace("COPY . /src", "RUN mkdir -p /src && touch /src/a")
    assert (
        _holds(rule, made, good.replace("COPY . /src", "RUN mkdir -p /src && touch /src/a")) is None
    )
    maybe = before.replace("COPY . /src", "RUN test -d /src || mkdir /src")
    assert _holds(rule, maybe, good.replace("COPY . /src", "RUN test -d /src || mkdir /src"))


def test_trailing_cd_dropped() -> None:
    """A `&& cd DIR` that ends a RUN goes only where DIR exists at its end."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nCOPY . /src\nRUN make && cd /src\n"
    good = "FROM a\nCOPY . /src\nRUN make\n"
    assert _holds(rule, before, good) is None
    assert _holds(rule, before.replace("COPY . /src\n", ""), good.replace("COPY . /src\n", ""))
    # Removed by the RUN itself, joined by `;` (the exit status), or not the last command.
    assert _holds(
        rule, before.replace("make &&", "rm -rf /src &&"), good.replace("make", "rm -rf /src")
    )
    assert _holds(rule, before.replace("make &&", "make;"), good)
    assert _holds(
        rule, before.replace("cd /src", "cd /src && ls"), good.replace("make", "make && ls")
    )


def test_root_cd_dropped() -> None:
    """A `cd /` whose effect nothing reads may go; one whose effect something
    reads (a relative path, a variable, `~`) or whose operators decide what
    runs may not."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule
    from dockfix.fixes.cd_workdir import drop_root_cds

    before = "FROM a\nRUN make && cd / && rm -rf /tmp/x\n"
    assert _holds(rule, before, "FROM a\nRUN make && rm -rf /tmp/x\n") is None
    for tail in ("rm -rf x", "rm -rf $D", "rm -rf ~/x", "ls", "echo $PWD"):
        text = f"FROM a\nRUN make && cd / && {tail}\n"
        assert _holds(rule, text, f"FROM a\nRUN make && {tail}\n"), tail
    # `a && cd /; b` is `a; b`, not `a && b`; `a || cd / && b` keeps its cd.
    assert drop_root_cds("a && cd /; rm /x") == "a; rm /x"
    assert drop_root_cds("a && cd /") == "a"
    assert drop_root_cds("a; cd /") == "a; cd /"
    assert drop_root_cds("a || cd / && rm /x") == "a || cd / && rm /x"
    semi = "FROM a\nRUN make && cd /; rm -rf /tmp/x\n"
    assert _holds(rule, semi, "FROM a\nRUN make && rm -rf /tmp/x\n")
    assert _holds(rule, semi, "FROM a\nRUN make; rm -rf /tmp/x\n") is None
    # Together with a WORKDIR for the other cd.
    both = "FROM a\nWORKDIR /w\nRUN cd /t && make && cd / && rm -rf /t/o\n"
    good = "FROM a\nWORKDIR /w\nWORKDIR /t\nRUN make && rm -rf /t/o\nWORKDIR /w\n"
    assert _holds(rule, both, good) is None
    assert _holds(rule, both, good.replace("/t/o", "o"))


def test_cd_to_the_current_folder_dropped() -> None:
    """`cd DIR &&` where the RUN runs in DIR already may go, and only that."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nENV APP=/w\nWORKDIR /w\nRUN cd $APP && make || true\n"
    assert _holds(rule, before, "FROM a\nENV APP=/w\nWORKDIR /w\nRUN make || true\n") is None
    # Another folder: the commands would run elsewhere.
    other = "FROM a\nWORKDIR /w\nRUN cd /t && make\n"
    assert _holds(rule, other, "FROM a\nWORKDIR /w\nRUN make\n")
    # `$PWD` reads the path as `cd` wrote it.
    pwd = "FROM a\nWORKDIR /w\nRUN cd /w && echo $PWD\n"
    assert _holds(rule, pwd, "FROM a\nWORKDIR /w\nRUN echo $PWD\n")
    # More than the cd went.
    assert _holds(rule, before, "FROM a\nENV APP=/w\nWORKDIR /w\nRUN make\n")


def test_cd_in_a_stage_no_image_gets() -> None:
    """Without a restore, a stage's working directory may change only where
    no image gets it: not the last stage, nor one another is built FROM."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    tail = "FROM scratch\nCOPY --from=b /o /o\n"
    before = "FROM a AS b\nRUN cd /s && make\n" + tail
    good = "FROM a AS b\nWORKDIR /s\nRUN make\n" + tail
    assert _holds(rule, before, good) is None
    # The last stage, or one built FROM: caught.
    assert _holds(rule, "FROM a AS b\nRUN cd /s && make\n", "FROM a AS b\nWORKDIR /s\nRUN make\n")
    child = "FROM b\nRUN ls\n"
    assert _holds(rule, before + child, good + child)
    # A FROM a build argument could turn into the stage: caught.
    arg = "ARG BASE=x\n"
    unknown = "FROM $BASE\nRUN ls\n"
    assert _holds(rule, arg + before + unknown, arg + good + unknown)


def test_several_cds_one_per_round() -> None:
    """Each round rewrites the first cd; the second cd's relative folder is
    read in the first one's folder."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM a\nWORKDIR /w\nRUN cd /w/api && npm ci && cd ../web && npm ci\n"
    first = "FROM a\nWORKDIR /w\nWORKDIR /w/api\nRUN npm ci && cd ../web && npm ci\nWORKDIR /w\n"
    assert _holds(rule, before, first) is None
    second = (
        "FROM a\nWORKDIR /w\nWORKDIR /w/api\nRUN npm ci\nWORKDIR /w/web\nRUN npm ci\nWORKDIR /w\n"
    )
    assert _holds(rule, first, second) is None
    # The second folder read from the RUN's first folder (/w), not /w/api: caught.
    assert _holds(rule, first, second.replace("/w/web", "/web"))
    result = engine.run(dockfix.parse(before), [lookup("cd-workdir")], _context(), unsafe=True)
    assert result.code == second


def test_cd_on_an_image_without_workdir() -> None:
    """On an official image known to set no WORKDIR, the folder to put back
    is `/`; on another image it is not known."""
    from dockfix.fixes.cd_workdir import POSTCONDITION as rule

    before = "FROM ubuntu:24.04\nRUN cd /tmp && make\nCOPY a etc/\n"
    good = "FROM ubuntu:24.04\nWORKDIR /tmp\nRUN make\nWORKDIR /\nCOPY a etc/\n"
    assert _holds(rule, before, good) is None
    assert _holds(rule, before, good.replace("WORKDIR /\n", "WORKDIR /root\n"))
    assert _holds(rule, before, good.replace("WORKDIR /\n", ""))
    other = before.replace("ubuntu:24.04", "example/app:1")
    assert _holds(rule, other, good.replace("ubuntu:24.04", "example/app:1"))


def _context() -> Context:
    return Context(None, Settings())


def _wrong_fix(name: str, replacement: str) -> FixModule:
    """The real fix's findings, with its post-condition, but a wrong rewrite."""
    real = lookup(name)

    def check(tree: Dockerfile, context: Context) -> Iterator[Finding]:
        for finding in real.check(tree, context):
            if finding.fix is None:
                continue
            node = finding.node
            wrong: Instruction = instruction(replacement)
            fix = Fix(
                (Edit((node,), (wrong,)),), Safety.UNSAFE, postcondition=finding.fix.postcondition
            )
            yield Finding(finding.rule, node, finding.message, fix)
            return

    return FixModule(real.rule, check, real.doc)


@pytest.mark.parametrize(
    ("fix", "text", "good", "wrong"),
    [
        (
            "add-to-copy",
            "FROM a\nADD app.py /srv/\n",
            "FROM a\nCOPY app.py /srv/\n",
            "COPY app.py /srv/app.py\n",
        ),
        (
            "copy-dest-slash",
            "FROM a\nCOPY a b /srv\n",
            "FROM a\nCOPY a b /srv/\n",
            "COPY a /srv/\n",
        ),
        (
            "pipefail",
            'FROM debian:12\nRUN curl -fsSL x | sh\nCMD ["app"]\n',
            'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL x | sh\n'
            'CMD ["app"]\n',
            "RUN curl -fsSL x | sh -e\n",
        ),
        (
            "cd-workdir",
            "FROM debian:12\nWORKDIR /app\nRUN cd /src && make\n",
            "FROM debian:12\nWORKDIR /app\nWORKDIR /src\nRUN make\nWORKDIR /app\n",
            "RUN make\n",
        ),
        (
            "cd-workdir",
            "FROM debian:12\nWORKDIR /app\nRUN set -eux; cd /src; make\n",
            "FROM debian:12\nWORKDIR /app\nWORKDIR /src\nRUN set -eux; make\nWORKDIR /app\n",
            "RUN set -ux; make\n",
        ),
        (
            "cd-workdir",
            "FROM debian:12\nRUN make && cd / && rm -rf /tmp/src\n",
            "FROM debian:12\nRUN make && rm -rf /tmp/src\n",
            "RUN make && rm -rf src\n",
        ),
        (
            "merge-runs",
            "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
            "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\n",
            "RUN apt-get update || apt-get install -y curl\n",
        ),
    ],
)
def test_postcondition_catches_a_wrong_rewrite(fix: str, text: str, good: str, wrong: str) -> None:
    tree = dockfix.parse(text)
    result = engine.run(tree, [lookup(fix)], _context(), unsafe=True)
    assert result.code == good
    with pytest.raises(engine.InternalError) as info:
        engine.run(tree, [_wrong_fix(fix, wrong)], _context(), unsafe=True)
    assert "broke its post-condition" in info.value.reason


def test_apt_hygiene_words() -> None:
    from dockfix.fixes.apt_hygiene import only_apt_words

    old = "apt-get update && apt-get install -y curl"
    flagged = "apt-get update && apt-get install --no-install-recommends -y ca-certificates curl"
    assert only_apt_words(old, flagged) is None
    # ca-certificates comes only with --no-install-recommends; no other package comes.
    assert only_apt_words(old, "apt-get update && apt-get install -y ca-certificates curl")
    assert only_apt_words(old, flagged.replace("ca-certificates", "wget"))
    assert only_apt_words(old, "apt-get update && apt-get install -y") is not None


def test_dependency_cache_keeps_the_variables_of_the_commands_that_stay() -> None:
    rule = lookup("dependency-cache").check.__globals__["POSTCONDITION"]
    head = "FROM golang\nWORKDIR /src\n"
    build = "RUN CGO_ENABLED=0 GOOS=linux go build -o /app .\n"
    before = head + "COPY . .\n" + build
    install = "COPY go.mod go.sum ./\nRUN CGO_ENABLED=0 GOOS=linux go mod download\nCOPY . .\n"
    assert _holds(rule, before, head + install + build) is None
    # The RUN that stays after the copy lost its variables, or changed one: caught.
    assert _holds(rule, before, head + install + "RUN go build -o /app .\n") is not None
    changed = "RUN CGO_ENABLED=1 GOOS=linux go build -o /app .\n"
    assert _holds(rule, before, head + install + changed) is not None


def test_lock_install_changes_only_the_words_that_read_the_lock() -> None:
    rule = lookup("lock-install").check.__globals__["POSTCONDITION"]
    head = "FROM node:20\nWORKDIR /app\nCOPY . .\n"
    before = head + "RUN NODE_ENV=production npm install --omit=dev\n"
    assert _holds(rule, before, head + "RUN NODE_ENV=production npm ci --omit=dev\n") is None
    # A variable or a flag lost on the way: caught.
    assert _holds(rule, before, head + "RUN npm ci --omit=dev\n") is not None
    assert _holds(rule, before, head + "RUN NODE_ENV=production npm ci\n") is not None
    # uv: the project install becomes `uv sync`, with the environment it needs.
    uv = "FROM python:3.12\nENV VIRTUAL_ENV=/opt/venv\nCOPY . .\nRUN uv pip install -e .\n"
    synced = (
        "FROM python:3.12\nENV VIRTUAL_ENV=/opt/venv\n"
        "ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1\n"
        "COPY . .\nRUN uv sync --locked --no-dev\n"
    )
    assert _holds(rule, uv, synced) is None
    assert _holds(rule, uv, synced.replace("COPY . .\n", "ENV PATH=/x\nCOPY . .\n")) is not None


def test_pin_uv_may_only_give_uv_image_references_a_version() -> None:
    # One post-condition for both of its fixes (a round may apply both).
    rule = installer = lookup("pin-uv").check.__globals__["POSTCONDITION"]
    before = (
        "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n"
        "ENV PATH=/app/.venv/bin:$PATH\n"
        "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/\n"
        "RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv uv sync\n"
    )
    pinned = (
        "FROM ghcr.io/astral-sh/uv:0.13.9-python3.12-bookworm-slim\n"
        "ENV PATH=/app/.venv/bin:$PATH\n"
        "COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/\n"
        "RUN --mount=from=ghcr.io/astral-sh/uv:0.13.9,source=/uv,target=/bin/uv uv sync\n"
    )
    assert _holds(rule, before, pinned) is None
    # Anything else is caught: another destination, another image, a version changed.
    assert _holds(rule, before, pinned.replace("/uvx /bin/", "/uvx /usr/bin/")) is not None
    other_image = pinned.replace("astral-sh/uv:0.13.9 ", "astral-sh/ux:1 ")
    assert _holds(rule, before, other_image) is not None
    fixed = "FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.5.0 /uv /bin/\n"
    assert _holds(rule, fixed, fixed.replace("0.5.0", "0.13.9")) is not None
    # The installer: its RUN becomes the copy of uv's binaries into /bin/, and only that.
    script = "FROM python:3.12\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\nRUN uv sync\n"
    copy = "FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/\nRUN uv sync\n"
    assert _holds(installer, script, copy) is None
    assert _holds(installer, script, copy.replace("/bin/\n", "/opt/\n")) is not None
    assert _holds(installer, script, copy.replace("uv sync", "uv sync --frozen")) is not None
    # Both in one round: a pinned copy and a replaced installer.
    both = (
        "FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\nRUN pip install uv\n"
    )
    after = (
        "FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /bin/\n"
        "COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/\n"
    )
    assert _holds(rule, both, after) is None


def test_cache_mounts_may_only_add_cache_mounts_and_drop_cache_removals() -> None:
    rule = lookup("cache-mounts").check.__globals__["POSTCONDITION"]
    before = (
        "FROM debian:12\n"
        "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        "RUN pip install --no-cache-dir flask\n"
        "RUN uv sync --no-cache\n"
    )
    keep = lookup("cache-mounts").check.__globals__["_DOCKER_CLEAN"]
    after = (
        "FROM debian:12\n"
        f"RUN {keep}\n"
        "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked"
        " --mount=type=cache,target=/var/lib/apt,sharing=locked"
        " apt-get update && apt-get install -y curl\n"
        "RUN --mount=type=cache,target=/root/.cache/pip pip install flask\n"
        "ENV UV_LINK_MODE=copy\n"
        "RUN --mount=type=cache,target=/root/.cache/uv uv sync\n"
    )
    assert _holds(rule, before, after) is None
    # A mount elsewhere, a command dropped that is no cache removal, a RUN
    # added that is not docker-clean's removal, another link mode: all caught.
    assert _holds(rule, before, after.replace("target=/root/.cache/pip", "target=/app")) is not None
    assert (
        _holds(rule, before, after.replace("--mount=type=cache,", "--mount=type=tmpfs,"))
        is not None
    )
    assert _holds(rule, before, after.replace(" -y curl", " curl")) is not None
    assert _holds(rule, before, after.replace("pip install flask", "pip install")) is not None
    assert _holds(rule, before, after.replace(keep, "rm -rf /etc/apt")) is not None
    assert (
        _holds(rule, before, after.replace("UV_LINK_MODE=copy", "UV_LINK_MODE=symlink")) is not None
    )
    assert (
        _holds(rule, before, after.replace("ENV UV_LINK_MODE=copy", "ENV UV_CACHE_DIR=/c"))
        is not None
    )
    # The coarse post-condition it had (keeps("steps", "history", "config.env")) let these by.
    from dockfix.semantics import keeps

    coarse = keeps("steps", "history", "config.env")
    assert _holds(coarse, before, after.replace(" -y curl", " curl")) is None
