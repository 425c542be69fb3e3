"""Words and commands that do the same in any working directory
(`dockfix.cwdfree`), which cd-workdir keeps under a WORKDIR moved up."""

from __future__ import annotations

import pytest

from dockfix.cwdfree import (
    computed_assignment,
    computed_word,
    expanded_assignment,
    exported_assignment,
    stable_word,
    string_test,
    temporary_folder,
    text_pipeline,
    variable_value,
)
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
        ("dpkg-architecture --query DEB_BUILD_GNU_TYPE", True),
        ("dpkg-architecture -q DEB_BUILD_MULTIARCH", True),
        ("dpkg-architecture --query=DEB_HOST_ARCH", True),
        ("dpkg-architecture --query DEB_HOST_ARCH DEB_BUILD_ARCH", False),
        ("dpkg-architecture -c make", False),  # runs a command
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
    ("word", "free"),
    [
        ('"$(uname -m)"', True),
        ('"$(dpkg --print-architecture)"', True),
        ("$(uname -m)", False),  # unquoted: split and globbed
        ('"$(cat ARCH)"', False),
        ('"x$(uname -m)"', False),
    ],
)
def test_computed_word(word: str, free: bool) -> None:
    assert computed_word(word, _lookup) is free


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


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ('GNUPGHOME="$(mktemp -d)"', "GNUPGHOME"),
        ("TMP=$(mktemp -d)", "TMP"),
        ("TMP=$(mktemp)", None),  # a file, not a folder
        ("TMP=$(mktemp -d -p .)", None),  # in the folder
        ("TMP=/tmp/x", None),
    ],
)
def test_temporary_folder(word: str, name: str | None) -> None:
    assert temporary_folder(word) == name
