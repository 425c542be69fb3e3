"""Downloads, extractions and scratch files that do the same in any working
directory (`dockfix.downloads`), which cd-workdir keeps under a WORKDIR
moved up."""

from __future__ import annotations

import pytest

from dockfix.downloads import Scratch, extraction, signature_check, transfer
from dockfix.shell import raw_lexemes
from dockfix.words import unknown

VALUES = {
    "VERSION": "1.2.3",
    "NO_DEFAULT": unknown("arg:NO_DEFAULT"),
    "TOOL_URL": unknown("arg:TOOL_URL=https://example.com/tool.tgz"),
}


def _lookup(name: str) -> str | None:
    return VALUES.get(name)


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
        ("--extract --file /tmp/a.tar.bz2 --directory /opt --strip-components 1", True),
        ("--extract --file /tmp/a.tar.bz2 --directory /opt --strip-components x", False),
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
    ("args", "checked"),
    [
        ("--batch --keyserver hkps://keys.openpgp.org --recv-keys ABCD EF01", True),
        ('--no-tty --keyserver=keyserver.ubuntu.com --recv-keys "$GPG_KEY"', True),
        ("--recv-keys $GPG_KEY", False),  # unquoted, of no value the file gives
        ("--batch --verify /tmp/a.asc /tmp/a", True),
        ("--batch --verify a.asc a", False),  # files of the folder
        ("--import /tmp/key.asc", False),
        ("--recv-keys", False),
        ("--homedir keys --recv-keys ABCD", False),  # a key folder in the folder
    ],
)
def test_signature_check(args: str, checked: bool) -> None:
    absolute = lambda path: path.startswith("/")  # noqa: E731
    assert signature_check(args.split(), _lookup, absolute) is checked


def test_scratch_signature_checked_by_name() -> None:
    said, scratch = _scratch(
        "curl -fsSL -o a.tgz https://example.com/a.tgz && "
        "curl -fsSL -o a.tgz.asc https://example.com/a.tgz.asc && "
        "gpg --batch --verify a.tgz.asc a.tgz && "
        "tar -xzf a.tgz -C /opt && rm a.tgz a.tgz.asc"
    )
    assert said == [True, True, True, True, True]
    assert scratch.clean()
