"""What dockfix knows of a base image from its name (dockfix.images), and the
shell readings pipefail relies on."""

from __future__ import annotations

import pytest

from dockfix.fixes.pipefail import bashism, proven, risky_pipe
from dockfix.images import (
    Shells,
    default_workdir,
    image_user,
    official_env,
    runs_as_non_root,
    runs_command_as_given,
    s6_overlay_image,
    shells,
)


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("debian:12-slim", Shells.DASH),
        ("docker.io/library/ubuntu:22.04", Shells.DASH),
        ("python:3.12-slim", Shells.DASH),
        ("python:3.12", Shells.DASH),
        ("python:${PY}-slim", Shells.DASH),
        ("python:${PY}", None),  # the variable may name an Alpine variant
        ("python:3.12-alpine", Shells.ASH),
        ("golang:${GO}-alpine${ALPINE}", Shells.ASH),
        ("alpine:${ALPINE_VERSION}", Shells.ASH),
        ("node:20-alpine3.19", Shells.ASH),
        ("fedora:40", Shells.BASH),
        ("eclipse-temurin:17-jdk-ubi9-minimal", Shells.BASH),
        ("openjdk:17-oracle", Shells.BASH),
        ("public.ecr.aws/amazonlinux/amazonlinux:2023", Shells.BASH),
        ("maven:3-amazoncorretto-17", None),
        ("public.ecr.aws/lambda/python:3.12-x86_64", Shells.BASH),
        ("public.ecr.aws/amazoncorretto/amazoncorretto:17-alpine", Shells.ASH),
        # The official amazoncorretto image: Amazon Linux but for `-alpine`;
        # a tag from a variable may be either.
        ("amazoncorretto:17-al2023-jdk", Shells.BASH),
        ("amazoncorretto:21", Shells.BASH),
        ("amazoncorretto:21-alpine3.20", Shells.ASH),
        ("amazoncorretto:${JAVA_VERSION}", None),
        ("public.ecr.aws/amazoncorretto/amazoncorretto:$V", None),
        ("ubi9/s2i-core:1", Shells.BASH),
        ("quay.io/sclorg/s2i-core-c9s:c9s", Shells.BASH),
        ("registry.access.redhat.com/ubi9/ubi-micro", None),
        ("python:3.12-windowsservercore", None),
        ("mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled", None),
        ("gcr.io/distroless/base-debian12", None),
        ("scratch", None),
        ("myorg/base:1.0", None),
        ("quay.io/centos/centos:stream9", Shells.BASH),
        ("quay.io/fedora/fedora:42", Shells.BASH),
        ("quay.io/fedora/fedora-minimal:42", Shells.BASH),
        ("registry.fedoraproject.org/fedora-minimal:40", Shells.BASH),
        ("opensuse/leap:15.6", Shells.BASH),
        ("registry.opensuse.org/opensuse/tumbleweed:latest", Shells.BASH),
        ("archlinux:base-devel", Shells.BASH),
        ("clearlinux:latest", Shells.BASH),
        ("clearlinux/golang", None),  # built on it, but not the distribution's image
        ("opensuse/busybox", None),
        ("$BASE", None),
        # The official images' architecture namespaces and Amazon's mirror of them.
        ("arm32v7/buildpack-deps:bookworm", Shells.DASH),
        ("arm64v8/python:3.12-alpine", Shells.ASH),
        ("public.ecr.aws/docker/library/python:3.12", Shells.DASH),
        ("public.ecr.aws/docker/library/alpine:3.20", Shells.ASH),
        ("mcr.microsoft.com/mirror/docker/library/python:3.9-slim-bullseye", Shells.DASH),
        ("mcr.microsoft.com/mirror/docker/library/alpine:3.16", Shells.ASH),
        ("mcr.microsoft.com/vscode/devcontainers/javascript-node:20-bullseye", Shells.DASH),
        ("mcr.microsoft.com/devcontainers/typescript-node:1-22-bookworm", Shells.DASH),
        ("mcr.microsoft.com/devcontainers/base:alpine-3.20", Shells.ASH),
        ("mcr.microsoft.com/dotnet/core/sdk:3.1", Shells.DASH),
        ("arm64v8/myorg:1", None),
        ("arm64v8/myorg/base:1", None),
        # CircleCI's images: cimg on Ubuntu, the legacy ones on the official images.
        ("cimg/python:3.12-browsers", Shells.DASH),
        ("circleci/php:7.4-node-browsers", Shells.DASH),
        ("circleci/node:14-alpine", Shells.ASH),
        ("circleci/python:$V", None),
        ("circleci/foo/bar:1", None),
        ("nextcloud:apache", Shells.DASH),
        ("nextcloud:fpm-alpine", Shells.ASH),
        ("haproxy:3.0-alpine", Shells.ASH),
        ("cypress/browsers:node-22.14.0-chrome-133", Shells.DASH),
        ("mcr.microsoft.com/playwright:v1.50.0-noble", Shells.DASH),
        # NVIDIA's CUDA images: the tag names the distribution, also after a variable.
        ("nvidia/cuda:12.4.1-devel-ubuntu22.04", Shells.DASH),
        ("nvidia/cuda:${CUDA_VERSION}-base-ubuntu${UBUNTU_VERSION}", Shells.DASH),
        ("nvidia/cuda:${CUDA_VERSION}-devel-ubi9", Shells.BASH),
        ("nvidia/cuda:${CUDA_VERSION}-base-amzn2023", Shells.BASH),
        ("nvidia/cuda:${CUDA_VERSION}-runtime-rockylinux${ROCKY}", Shells.BASH),
        ("nvidia/cuda:${CUDA_VERSION}", None),
        # LinuxServer.io's base images.
        ("ghcr.io/linuxserver/baseimage-ubuntu:noble", Shells.DASH),
        ("lscr.io/linuxserver/baseimage-alpine:3.22", Shells.ASH),
        ("linuxserver/baseimage-alpine:edge", Shells.ASH),
        ("ghcr.io/linuxserver/baseimage-arch:latest", None),  # not read
        # Gitpod's workspace images (Ubuntu); pandoc's, by the tag's distribution.
        ("gitpod/workspace-full:2023-05-08-21-16-55", Shells.DASH),
        ("gitpod/workspace-python-3.12", Shells.DASH),
        ("pandoc/latex:3.10-ubuntu", Shells.DASH),
        ("pandoc/core:3.8.3-debian", Shells.DASH),
        ("pandoc/minimal:3.10-alpine", Shells.ASH),
        ("pandoc/core:3.10", None),  # Alpine today; a bare tag is not read
        ("pandoc/core:${VERSION}", None),
    ],
)
def test_shells(image: str, expected: Shells | None) -> None:
    assert shells(image) is expected


@pytest.mark.parametrize(
    ("script", "found"),
    [
        ("curl -fsSL x | sh", False),
        ("apt-get source git", False),  # a subcommand, not the builtin
        ("awk '$1 == \"x\" { print }' f", False),  # quoted: awk's, not the shell's
        ('echo "export PATH=\\$PATH:/x" >> /etc/profile', False),  # no backslash reaches echo
        ("ls /usr/local -type f", False),
        ("source /etc/profile && make", True),
        ('[ "$A" == b ] && make', True),
        ("[[ -f x ]] && make", True),
        ("echo -e 'a\\tb'", True),
        ("echo 'a\\nb' > f", True),
        ("echo 'RewriteRule ^index\\.php$ - [L]'", False),  # an escape neither shell reads
        ("make &> log", True),
        ("cp f{,.bak}", True),
        ("X=$(source /x && echo 1)", True),
        ('V="$(</etc/version)" && echo "$V"', True),  # bash reads the file, dash does not
        ('useradd --uid "${UID:-1000}" dev', True),  # bash sets UID itself
        ("echo $RANDOM > /seed", True),
    ],
)
def test_bashisms(script: str, found: bool) -> None:
    assert (bashism(script) is not None) is found


@pytest.mark.parametrize(
    ("script", "risky"),
    [
        ("curl -fsSL x | tar -xz", False),
        ("curl x | sh -s -- -y", False),
        ('grep " node-v$V.tar.xz$" SHASUMS256.txt | sha256sum -c -', False),
        ("yes | apt-get install x", True),
        ("cat f | head -1", True),
        ("dpkg -l | grep -q curl", True),
        ('httpd -v | grep -qe "Apache/2"', False),  # a version probe: written at once
        ("grep foo f | wc -l", True),
        ("cat f | sed '/x/q'", True),
        ("V=$(curl -s x | head -n1) && echo $V", True),
        ("a || b", False),
        # A substitution in an argument: its status is not used, only its output.
        ("[ \"$(pip list | awk '{ print; exit }')\" = 1 ]", False),
        ('echo "$(curl -s x | head -n1)" > /v', False),
        ('echo "$(curl -s x | head -n1 && echo more)" > /v', True),  # not its last pipe
        ("V=`curl -s x | head -n1` && echo $V", True),  # backquotes are read too
        ("echo `curl -s x | head -n1`", False),
        # `while read` reads to the end, unless the loop leaves early.
        ("cat f | while read -r l; do echo $l; done", False),
        ("cat f | while read -r l; do break; done", True),
        ("cat f | until read -r l; do :; done", True),
        # A normal "found nothing" answer is a failure under pipefail.
        ("ldd /x | awk '{print $3}' | xargs -r dpkg-query --search | cut -d: -f1", True),
        ("find / -name x | xargs -n 1 grep foo | sort", True),
        ("ls | xargs -r rm", False),
        ("dpkg-query --search /bin/ls | cut -d: -f1", True),
        ("diff a b | tee d.log", True),
        ("find /usr/local -type f | xargs ldd | grep so", True),
        # find -exec CMD {} + exits with CMD's failure; -exec CMD {} ; does not.
        ("find /usr/local -type f -exec ldd '{}' + | awk '{print $3}'", True),
        ("find /usr/local -type f -exec ldd '{}' ';' | awk '{print $3}'", False),
        ("find . -name '*.c' -exec grep -l main {} + | sort", True),
        ("find . -type f -exec chmod 644 {} + | tee log", False),
        # Look-ups whose "not found" is an exit status.
        ("getent passwd 1000 | cut -d: -f1 | xargs -r userdel", True),
        ("command -v python3 | xargs -r ls -l", True),
        ("rpm -q curl | sort", True),
        ("rpm -qa | sort", False),  # every package: no failure
        ("dpkg -l | awk '/^ii/ {print $2}'", False),
        ("dpkg -l 'lib*' | awk '{print $2}'", True),
        ('echo "$V" | grep -q x', False),  # written at once, before grep can leave
        ("echo $(cat f) | grep -q x", True),
        ("printf '%s' a | head -c1", False),
        ("ls /opt/*.jar | xargs -r -n1 basename", True),
        ("ls /opt | wc -l", False),
        ("command make | tee log", False),
        # A compound command writing into a pipe: its status is its last
        # command's, and its writers get SIGPIPE like a simple command's.
        ("{ grep x f; } | sort", True),
        ("( ldd /x ) | awk '{print $3}'", True),
        ("for f in /x/*.so; do ldd $f; done | awk '{print $3}'", True),
        ("if [ -f x ]; then dpkg -l curl; fi | sort", True),
        ("{ cat a; cat b; } | head -1", True),
        ("while true; do echo y; done 2>/dev/null | head -1", True),
        ("V=$( ( grep a b ) | sort )", True),
        ("{ curl -fsSL x; cat y; } | sh", False),
        ("for f in a b; do echo $f; done | sort", False),
        # ... unless it ends with `|| true` (its status is then 0).
        ("{ grep x f || true; } | sort", False),
        ("{ cat a | cat || true; } | head -1", False),
        ("( ldd /x || : ) | awk '{print $3}'", False),
        ("echo {} } | sort", False),  # braces as arguments
        ("f() { grep x f; }; f | sort", False),  # a function's body: not a stage
        ("case $x in a) f() { :; }; f;; esac | sort", False),
        # A case's patterns are not pipes; a subshell in a branch is not read.
        ("case $x in a|b) echo 1 | sort;; esac", False),
        ("case $x in a) ( grep x f ) | sort;; esac", True),
    ],
)
def test_risky_pipes(script: str, risky: bool) -> None:
    assert (risky_pipe(script) is not None) is risky


@pytest.mark.parametrize(
    ("script", "names"),
    [
        ("apt-get update && apt-get install -y x", ["apt-get", "apt-get"]),
        ("apt-get update || true", ["true"]),
        ("a; apt-get update", ["apt-get"]),  # `a` may fail
        ("set -eux; apt-get update; b", ["b", "apt-get", "set"]),
        ("curl -fsSL x | bash", ["bash"]),
        ("bash x | tee log", ["tee"]),  # bash's status is lost in the pipe
        ("if a; then apt-get update; fi", []),
        ("if a; then b; fi && apt-get update && c", ["c", "apt-get"]),
        ("(apt-get update)", []),
        ("[ -f x ] && exit 0; apt-get update", []),
        ("for p in a b; do apt-get install $p; done", []),
    ],
)
def test_proven_commands(script: str, names: list[str]) -> None:
    """The commands a RUN cannot succeed without, read as evidence of its image."""
    assert [c.name for c in proven(script)] == names


@pytest.mark.parametrize(
    ("image", "as_given"),
    [
        ("python:3.12-slim", True),
        ("debian:12", True),
        ("node:20-alpine", True),  # its entrypoint runs a program name as given
        ("php:8.3-apache", True),
        ("redis:7", False),  # its entrypoint branches on its first argument
        ("nginx:1.27", False),
        ("postgres:16", False),
        ("myorg/app:1", False),
        ("$BASE", False),
    ],
)
def test_runs_command_as_given(image: str, as_given: bool) -> None:
    assert runs_command_as_given(image) is as_given


def test_starts_server_as_root() -> None:
    from dockfix.images import starts_server_as_root, unprivileged_variant

    for image in ("nginx", "nginx:1.27-alpine", "docker.io/library/httpd:2.4", "php:8.3-apache"):
        assert starts_server_as_root(image), image
    for image in (
        "php:8.3-fpm-alpine",
        "arm64v8/postgres:16",
        "public.ecr.aws/docker/library/redis",
    ):
        assert starts_server_as_root(image), image
    # php's cli variants, the unprivileged nginx and unknown images run as given.
    for image in ("php:8.3-cli", "nginxinc/nginx-unprivileged:1.27", "myorg/nginx", "python:3.12"):
        assert not starts_server_as_root(image), image
    assert unprivileged_variant("nginx:1.27") == "nginxinc/nginx-unprivileged"
    assert unprivileged_variant("httpd:2.4") is None


@pytest.mark.parametrize(
    ("image", "folder"),
    [
        ("debian:12", "/"),
        ("python:${PY}-slim", "/"),
        ("golang:1.22-alpine", "/go"),
        ("docker.io/library/golang:${GO}", "/go"),
        ("golang:1.22-windowsservercore-ltsc2022", None),
        ("php:8.3-apache-bookworm", "/var/www/html"),
        ("php:8.3-fpm-alpine", "/var/www/html"),
        ("php:8.3", "/"),
        ("php:8.3-zts", "/"),
        ("php", "/"),
        ("php:${TAG}", None),
        ("httpd:2.4", "/usr/local/apache2"),
        ("tomcat:10-jdk17", "/usr/local/tomcat"),
        ("redis:7-alpine", "/data"),
        ("buildpack-deps:20.04", "/"),
        ("rust:1.82-slim-bookworm", "/"),
        ("eclipse-temurin:21-jre-alpine", "/"),
        ("nvidia/cuda:12.4.1-devel-ubuntu22.04", "/"),
        ("rockylinux/rockylinux:9-ubi", "/"),
        ("erlang:26", "/"),
        ("erlang:19-onbuild", None),
        ("erlang:${OTP}", None),
        ("elixir:1.16-alpine", "/"),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "/"),
        ("mcr.microsoft.com/dotnet/aspnet:6.0-cbl-mariner2.0", "/"),
        ("mcr.microsoft.com/dotnet/core/runtime-deps:3.1-buster-slim", "/"),
        ("mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022", None),
        ("mcr.microsoft.com/dotnet/framework/sdk:4.8", None),
        ("myorg/golang:1.22", None),
        ("${BASE}", None),
        ("ghcr.io/linuxserver/baseimage-ubuntu:resolute", "/"),
        ("openjdk:11-jdk-slim", "/"),
        ("openjdk:27-nanoserver-ltsc2022", None),
        ("lscr.io/linuxserver/baseimage-alpine:3.21", "/"),
        ("ghcr.io/linuxserver/ffmpeg:latest", None),  # an application image: not read
    ],
)
def test_default_workdir_is_what_the_official_dockerfiles_end_with(
    image: str, folder: str | None
) -> None:
    assert default_workdir(image) == folder


_NODE_USER = ("node", "1000", "/home/node")
_DOTNET_USER = ("app", "1654", "/home/app")


@pytest.mark.parametrize(
    ("image", "user"),
    [
        ("node:20", _NODE_USER),
        ("node:22-alpine", _NODE_USER),
        ("docker.io/library/node", _NODE_USER),
        ("arm64v8/node:18-slim", _NODE_USER),
        ("python:3.12", None),
        ("nodered/node-red", None),
        ("node:20-windowsservercore-ltsc2022", None),
        # .NET's images have their `app` since 8.0.
        ("mcr.microsoft.com/dotnet/aspnet:8.0", _DOTNET_USER),
        ("mcr.microsoft.com/dotnet/sdk:9.0-alpine", _DOTNET_USER),
        ("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble", _DOTNET_USER),
        ("mcr.microsoft.com/dotnet/aspnet", _DOTNET_USER),
        ("mcr.microsoft.com/dotnet/aspnet:6.0", None),
        ("mcr.microsoft.com/dotnet/core/aspnet:3.1", None),
        ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", None),
    ],
)
def test_image_users_of_official_and_dotnet_images(
    image: str, user: tuple[str, str, str] | None
) -> None:
    assert image_user(image) == user


def test_images_that_run_as_their_own_user() -> None:
    for image in (
        "gitpod/workspace-full:2024-01-01",
        "quay.io/jupyter/scipy-notebook",
        "jupyter/base-notebook",
        "jenkins/jenkins:lts",
        "cimg/node:20.11",
        "codercom/code-server",
        "selenium/standalone-chrome:4",
    ):
        assert runs_as_non_root(image), image
    for image in ("python:3.12", "jenkins/agent", "node:20", "gitpod/openvscode-server"):
        assert not runs_as_non_root(image), image


def test_official_env_is_what_every_variant_sets() -> None:
    assert "PHP_INI_DIR" in official_env("php:8.3-fpm-alpine")
    assert "PHP_INI_DIR" in official_env("docker.io/library/php:${PHP_VERSION}-apache")
    assert "PGDATA" in official_env("postgres:16")
    assert official_env("mycorp/php:8.3") == frozenset()
    assert official_env("${BASE}") == frozenset()
    assert official_env("php:8.3-windowsservercore") == frozenset()


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("lscr.io/linuxserver/nginx:latest", True),
        ("ghcr.io/linuxserver/baseimage-alpine:3.20", True),
        ("linuxserver/code-server", True),
        ("ghcr.io/hassio-addons/base:17.0.0", True),
        ("ghcr.io/home-assistant/amd64-base:3.20", True),
        ("homeassistant/amd64-base:latest", True),
        ("$BUILD_FROM", True),
        ("${BUILD_FROM}", True),
        ("$BASE_IMAGE", False),
        ("nginx:1.27", False),
        ("mycorp/linuxserver-like:1", False),
    ],
)
def test_s6_overlay_images(image: str, expected: bool) -> None:
    assert s6_overlay_image(image) is expected
