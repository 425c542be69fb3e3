"""Words and commands that do the same in any working directory
(`dockfix.cwdfree`), which cd-workdir keeps under a WORKDIR moved up."""

from __future__ import annotations

import pytest

from dockfix.cwdfree import (
    Scratch,
    computed_assignment,
    expanded_assignment,
    exported_assignment,
    extraction,
    stable_word,
    string_test,
    text_pipeline,
    transfer,
    variable_value,
)
from dockfix.shell import raw_lexemes
from dockfix.words import unknown

VALUES = {
    "VERSION": "1.2.3",
    "SPACED": "a b",
    "GLOB": "lib*",
    "HOST_VERSION": unknown("arg:HOST_VERSION=4.1036.2"),
    "ODD_ARG": unknown("arg:ODD_ARG=*.deb"),
    "NO_DEFAULT": unknown("arg:NO_DEFAULT"),
    "TOOL_URL": unknown("arg:TOOL_URL=https://example.com/tool.tgz"),
}


def _lookup(name: str) -> str | None:
    return VALUES.get(name)


@pytest.mark.parametrize(
    ("word", "stable"),
    [
        ("amd64", True),
        ("'a * b'", True),
        ('"$ARCH-${VERSION}"', True),  # quoted: neither split nor matched
        ("v${VERSION}", True),
        ("${TARGETPLATFORM}", True),  # BuildKit's platform arguments
        ("$HOST_VERSION", True),  # a build argument, read as its default
        ("$ODD_ARG", False),  # a default with a glob
        ("$NO_DEFAULT", False),
        ("$UNDEFINED", False),
        ("$GLOB", False),
        ("$SPACED", False),
        ("*.txt", False),
        ("$(pwd)", False),
        ("~/x", False),
    ],
)
def test_stable_word(word: str, stable: bool) -> None:
    assert stable_word(word, _lookup) is stable


@pytest.mark.parametrize(
    ("words", "free"),
    [
        (["[", '"$ARCH"', "=", "arm64", "]"], True),
        (["[", "-z", '"$VERSION"', "]"], True),
        (["test", "$VERSION", "!=", "1.0"], True),
        (["[", "-f", "/etc/os-release", "]"], True),
        (["[", "-f", "setup.cfg", "]"], False),  # relative: read in the folder
        (["[", "-d", "/src/app", "]"], False),  # the folder the WORKDIR makes
        (["[", "-d", "/src", "]"], False),  # a folder above it
        (["[", "-d", "/src/app/build", "]"], True),  # below it: not made
        (["[", "-n", "$SPACED", "]"], False),  # split into more operands
        (["[", '"$ARCH"', "=", "arm64"], False),  # no closing bracket
    ],
)
def test_string_test(words: list[str], free: bool) -> None:
    assert string_test(words[0], words[1:], _lookup, "/src/app") is free


@pytest.mark.parametrize(
    ("script", "free"),
    [
        ("uname -m", True),
        ("nproc", True),
        ("dpkg --print-architecture", True),
        ("apk --print-arch", True),
        ("dpkg-architecture -qDEB_HOST_MULTIARCH", True),
        ("echo ${HOST_VERSION} | cut -d'.' -f 3", True),
        ("echo $TARGETPLATFORM | cut -d / -f2", True),
        ("echo $VERSION | cut -d. -f1-2 | tr -d '\\n'", True),
        ("uname -m | sed 's/x86_64/amd64/'", True),
        ("uname -m | sed -e 's|x86_64|amd64|g' -e 's/aarch64/arm64/'", True),
        ("echo $VERSION | head -n 1", True),
        # A file read or written, a command run, anything else.
        ("cat VERSION", False),
        ("cut -d. -f1 VERSION", False),  # an operand: a file
        ("head -n 1 CHANGELOG", False),
        ("sed 's/a/b/' file.txt", False),
        ("sed -e 's/a/b/' file.txt", False),
        ("sed -i 's/a/b/'", False),
        ("uname -m | sed 's/a/b/w out'", False),
        ("uname -m | sed 's/a/b/e'", False),
        ("uname -m | sed 's/a/b/;r /etc/passwd'", False),
        ("echo * | cut -c1", False),
        ("pwd", False),
        ("git rev-parse HEAD", False),
        ("uname -m && pwd", False),
        ("uname -m; pwd", False),
        ("", False),
    ],
)
def test_text_pipeline(script: str, free: bool) -> None:
    assert text_pipeline(script, _lookup) is free


@pytest.mark.parametrize(
    ("word", "free"),
    [
        ("ARCH=$(uname -m)", True),
        ('ARCH="$(dpkg --print-architecture)"', True),
        ("N=$(echo $VERSION | cut -d. -f1)", True),
        ("N=$(cat VERSION)", False),
        ("N=$( (uname -m) )", False),  # nested parentheses: not read
        ("N=`uname -m`", False),
        ("N=x$(uname -m)", False),
    ],
)
def test_computed_assignment(word: str, free: bool) -> None:
    assert computed_assignment(word, _lookup) is free


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("$VERSION", "1.2.3"),
        ('"${VERSION}"', "1.2.3"),
        ("$HOST_VERSION", "4.1036.2"),  # a build argument's default
        ("$NO_DEFAULT", None),
        ("$UNDEFINED", None),
        ("v$VERSION", None),  # not one variable alone
    ],
)
def test_variable_value(word: str, value: str | None) -> None:
    assert variable_value(word, _lookup) == value


MADE = "/usr/src/tool"


@pytest.mark.parametrize(
    ("command", "free"),
    [
        ("curl -fsSL https://example.com/a.tgz", True),  # to standard output
        ("curl -fsSL https://example.com/a.tgz -o /tmp/a.tgz", True),
        ("curl -fsSLo /tmp/a.tgz https://example.com/a.tgz", True),
        ("curl --retry 3 -H 'Accept: x' --output=/tmp/a https://example.com/a", True),
        ('curl -fsSL "$TOOL_URL" -o /tmp/tool.tgz', True),
        ("wget -q -O /tmp/a.tgz https://example.com/a.tgz", True),
        ("wget -qO- https://example.com/a.tgz", True),
        ("wget --progress=dot:giga -P /tmp https://example.com/a.tgz", True),
        ('wget -O /tmp/p.tgz "https://example.com/${VERSION%%[a-z]*}/p-$VERSION.tgz"', True),
        ('wget -O /tmp/p.tgz "https://example.com/$(cat VERSION).tgz"', False),
        # The folder it starts in, or the WORKDIR's folder, or a file named otherwise.
        ("curl -fsSLO https://example.com/a.tgz", False),
        ("curl -fsSL https://example.com/a.tgz -o a.tgz", False),
        ("curl -fsSL https://example.com/a -o /usr/src", False),
        ("curl -K curlrc https://example.com/a", False),
        ("curl -d @body.json https://example.com/a", False),
        ("curl -T file https://example.com/a", False),
        ("wget https://example.com/a.tgz", False),
        ("wget -qOa.tgz https://example.com/a.tgz", False),
        ("wget -i urls.txt -P /tmp", False),
        ("curl -fsSL $NO_DEFAULT -o /tmp/a", False),
        ("curl -fsSL ./local -o /tmp/a", False),
    ],
)
def test_transfer(command: str, free: bool) -> None:
    name, *args = [word for word, _ in raw_lexemes(command) or ()]  # quotes kept
    assert transfer(name, args, _lookup, MADE) is free


@pytest.mark.parametrize(
    ("args", "free"),
    [
        ("-xzf /tmp/tool.tgz -C /usr/src", True),
        ("xzf /tmp/tool.tgz -C /usr/src", True),  # the old style
        ("-C /usr/src --strip-components=1 -xJf /tmp/tool.tar.xz", True),
        ("-xz -C /usr/src", True),  # the archive from a pipe
        ("-x --file=/tmp/a.tar --directory=/opt", True),
        ("--extract --directory /opt --strip-components=1 --file /tmp/a.tar.xz", True),
        ("--extract --directory /opt --file a.tar.xz", False),
        ("-xzf /tmp/tool.tgz", False),  # into the folder it starts in
        ("-xzf tool.tgz -C /usr/src", False),  # an archive of the folder
        ("-czf /tmp/a.tgz -C /usr/src .", False),  # not an extraction
        ("-xzf /tmp/a.tgz -C /opt -T list.txt", False),
        ("-xzf /tmp/a.tgz -C /opt 'tool/*'", False),
        ("-xzf /tmp/a.tgz -C /opt --to-command=sh", False),
    ],
)
def test_extraction(args: str, free: bool) -> None:
    assert extraction(args.split(), MADE) is free


@pytest.mark.parametrize(
    ("word", "plain"),
    [
        ('URL="https://example.com/${V#*@}.tgz"', True),
        ("SHA='0a1b'", True),
        ("X=$HOME/bin:$PATH", True),  # an assignment is neither split nor globbed
        ("X=*", True),
        ("X=$(pwd)", False),
        ("X=`pwd`", False),
        ('X="$(pwd)"', False),
        ("export", False),
    ],
)
def test_expanded_assignment(word: str, plain: bool) -> None:
    assert expanded_assignment(word) is plain


def _scratch(script: str) -> tuple[list[bool | None], Scratch]:
    """What `Scratch.take` says of each command of `script`."""
    scratch, said, command = Scratch(), [], []
    for word, is_operator in [*(raw_lexemes(script) or ()), ("", True)]:
        if not is_operator:
            command.append(word)
            continue
        said.append(scratch.take(command, word == "|", _lookup, MADE))
        command = []
    return said, scratch


def test_scratch_files_downloaded_checked_unpacked_and_removed() -> None:
    said, scratch = _scratch(
        "curl -fsSL -o src.tgz https://example.com/src.tgz"
        ' && echo "$VERSION  src.tgz" | sha256sum -c -'
        " && tar -xzf src.tgz -C /usr/src && rm src.tgz && make"
    )
    assert said == [True, True, True, True, True, None]  # `make`: read as any other
    assert scratch.clean()


@pytest.mark.parametrize(
    "script",
    [
        "curl -fsSL -o src.tgz https://example.com/src.tgz && tar -xzf src.tgz -C /usr/src",
        "wget -O a.tgz https://example.com/a.tgz && rm a.tgz && tar -xzf a.tgz -C /usr/src",
        "curl -o a.tgz https://example.com/a.tgz && cp a.tgz /opt/ && rm a.tgz",
        "curl -o a.tgz https://x.org/a.tgz && echo 'x  b.tgz' | sha256sum -c - && rm a.tgz",
        "curl -o a.tgz https://example.com/a.tgz && tar -xzf a.tgz && rm a.tgz",
    ],
)
def test_scratch_files_kept_or_read_otherwise(script: str) -> None:
    said, scratch = _scratch(script)
    assert False in said or not scratch.clean()


@pytest.mark.parametrize(
    ("word", "plain"),
    [
        ('CFLAGS="$VERSION -O2"', True),
        ("CFLAGS=-O2", True),
        ("CFLAGS=", True),
        ("CFLAGS=$GLOB", False),  # dash splits and globs export's arguments
        ("CFLAGS=*", False),
        ('CFLAGS="$(pwd)"', False),
        ("CFLAGS", False),
    ],
)
def test_exported_assignment(word: str, plain: bool) -> None:
    assert exported_assignment(word, _lookup) is plain
