"""What the package-manager fixes read of base images and commands."""

from __future__ import annotations

import pytest

from dockfix.fixes.pip_no_cache import pip_age
from dockfix.fixes.useradd_no_log_init import uid
from dockfix.packages import (
    appended_piece,
    errexit_tail,
    family,
    flag_names,
    image_name_and_tag,
    official_root_image,
)
from dockfix.shell import commands


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("python:3.12-slim", ("python", "3.12-slim")),
        ("docker.io/library/python:3.12@sha256:abc", ("python", "3.12")),
        ("public.ecr.aws/docker/library/node:20-alpine", ("node", "20-alpine")),
        ("public.ecr.aws/ubuntu/ubuntu:22.04", ("ubuntu", "22.04")),
        ("localhost:5000/app", ("localhost:5000/app", "")),
        ("myorg/base", ("myorg/base", "")),
    ],
)
def test_image_name_and_tag(image: str, expected: tuple[str, str]) -> None:
    assert image_name_and_tag(image) == expected


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("debian:bookworm", "debian"),
        ("python:3.12", "debian"),
        ("python:3.12-slim-bookworm", "debian"),
        ("python:3.12-alpine", "alpine"),
        ("node:lts", "debian"),
        ("alpine:3.20", "alpine"),
        ("fedora:40", None),
        ("python:3.12-windowsservercore", None),
        ("myorg/app:jammy", "debian"),
        ("ghcr.io/linuxserver/baseimage-ubuntu:noble", "debian"),
        ("lscr.io/linuxserver/baseimage-alpine:3.22", "alpine"),
        (None, None),
    ],
)
def test_family(image: str | None, expected: str | None) -> None:
    assert family(image) == expected


def test_official_root_images() -> None:
    assert official_root_image("ubuntu:24.04")
    assert official_root_image("public.ecr.aws/amazonlinux/amazonlinux:2023")
    assert official_root_image("erlang:26-alpine")
    assert official_root_image("elixir:1.16")
    assert official_root_image("ghcr.io/linuxserver/baseimage-ubuntu:noble")
    assert official_root_image("openjdk:11-jdk-slim")
    assert not official_root_image("ghcr.io/linuxserver/ffmpeg:latest")
    assert not official_root_image("jenkins/jenkins:lts")
    assert not official_root_image(None)


@pytest.mark.parametrize(
    ("image", "age"),
    [
        ("python:3.12-slim", "modern"),
        ("python:3", "modern"),
        ("python:alpine", "modern"),
        ("python:3.7", "unknown"),
        ("python:2.7", "unknown"),
        ("ubuntu:22.04", "modern"),
        ("ubuntu:18.04", "unknown"),
        ("ubuntu:14.04.5", "ancient"),
        ("ubuntu:trusty", "ancient"),
        ("debian:bullseye-slim", "modern"),
        ("debian:jessie", "ancient"),
        ("debian:9", "unknown"),
        ("centos:6", "ancient"),
        ("myorg/python:3.12", "unknown"),
    ],
)
def test_pip_age(image: str, age: str) -> None:
    assert pip_age(image) == age


def test_flags_as_hadolint_reads_them() -> None:
    (cmd,) = commands("yum -qy --setopt=a=b install x") or ()
    assert flag_names(cmd) == {"q", "y", "setopt"}


@pytest.mark.parametrize(
    ("script", "value"),
    [
        ("useradd -u 1000 a", "1000"),
        ("useradd -mu 1000 a", "1000"),
        ("useradd -u1000 a", "1000"),
        ("useradd --uid=1000 a", "1000"),
        ("useradd --uid 1000 a", "1000"),
        ("useradd -m a", None),
    ],
)
def test_useradd_uid(script: str, value: str | None) -> None:
    (cmd,) = commands(script) or ()
    assert uid(cmd) == value


@pytest.mark.parametrize(
    ("text", "posix"),
    [
        ("FROM debian\n", True),
        ("FROM python:3.12-windowsservercore\n", False),
        ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n", False),
        ("FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-1809\n", False),
        ('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["bash", "-c"]\n', True),
        ('FROM debian AS a\nSHELL ["pwsh", "-c"]\nFROM a\n', False),
    ],
)
def test_posix_shell(text: str, posix: bool) -> None:
    import dockfix
    from dockfix.packages import posix_shell
    from dockfix.stages import stages

    found = stages(dockfix.parse(text))
    assert posix_shell(found, found[-1]) is posix


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("set -eux; a; b", True),
        ("set -eux; a; b;", True),
        ("set -o errexit; a", True),
        ("set -ex\nmake\nmake install", True),
        ("a; b", False),  # no errexit: `; x` runs after a failed b
        ("set -eux; a; b && c", False),  # errexit lets b's failure through
        ("set -eux; a; b || c", False),
        ("set -e; a; ! b", False),
        ("set -e; a | b", False),
        ("set -e; set +e; a", False),
        ("set -e; a; set +o errexit; b", False),
        ("set -e; if x; then a; fi", False),
        ("set -e; { a; b; }", False),
        ("X=1 set -e; a", False),
        ("echo; set -e; a", False),  # errexit comes on after the first command
    ],
)
def test_errexit_tail(script: str, expected: bool) -> None:
    assert errexit_tail(script) is expected


def test_appended_piece_takes_a_semicolon_only_under_errexit() -> None:
    assert appended_piece("a; b", ("&&", "x", "y"), ("x", "y"))
    assert appended_piece("set -e; a; b", (";", "x", "y"), ("x", "y"))
    assert not appended_piece("a; b", (";", "x", "y"), ("x", "y"))
    assert not appended_piece("set -e; a; b && c", (";", "x", "y"), ("x", "y"))
    assert not appended_piece("set -e; a; b", (";", "x"), ("x", "y"))


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("RUN dnf install x", True),
        ("RUN dnf install x && dnf clean all", True),
        ("RUN echo a; dnf install x && dnf clean all", True),  # the && chain ends the script
        ("RUN dnf install x; dnf clean all", False),  # the clean runs after a failed install
        ("RUN dnf install x || true", False),
        ("RUN true || dnf install x", False),
        ("RUN dnf install x | tee log", False),
        ("RUN dnf install x & wait", False),
        ("RUN set -eux; dnf install x; dnf clean all", True),
        ("RUN set -e; set +e; dnf install x; dnf clean all", False),
        ("RUN set -e; dnf install x && dnf clean all; ls", False),  # not last of its list
        ("RUN set -e; if true; then dnf install x; fi", False),  # compound: not read
        ("RUN (dnf install x)", False),
        ("RUN zypper in x && zypper clean", True),  # `in` is an argument here
        ("RUN <<EOF\nset -e\ndnf install x\ndnf clean all\nEOF", True),
        ("RUN <<EOF\ndnf install x\ndnf clean all\nEOF", False),
        ("RUN <<EOF\ndnf install \\\n  x \\\n  y\nEOF", True),  # the last command
    ],
)
def test_failure_fails_run(run: str, expected: bool) -> None:
    import dockfix
    from dockfix.packages import failure_fails_run, program, shell_runs

    tree = dockfix.parse(f"FROM fedora\n{run}\n")
    (shell_run,) = shell_runs(tree, heredocs=True)
    cmd = next(c for c in shell_run.commands if program(c) in ("dnf", "zypper"))
    assert failure_fails_run(shell_run, cmd) is expected


def test_heredoc_script_reads_across_line_continuations() -> None:
    import dockfix
    from dockfix.packages import shell_runs

    tree = dockfix.parse("FROM fedora\nRUN <<EOF\ndnf install \\\n  gcc \\\n  make\nls\nEOF\n")
    (shell_run,) = shell_runs(tree, heredocs=True)
    assert [(c.name, c.args) for c in shell_run.commands] == [
        ("dnf", ["install", "gcc", "make"]),
        ("ls", []),
    ]
    assert shell_run.heredoc and shell_run.script == "dnf install \\\n  gcc \\\n  make\nls\n"
    assert not list(shell_runs(tree))  # only callers that ask for heredocs get them
