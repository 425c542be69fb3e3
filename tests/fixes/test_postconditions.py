"""Each package-manager fix's post-condition accepts the fix's own output and
catches a deliberately wrong rewrite of the same file.

The post-condition is checked by the engine on every output (see
dockfix.engine); here each one is called on a right and a wrong rewrite, and
one wrong fix is run through the engine to show it is stopped there.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

import dockfix
from dockfix import engine
from dockfix.config import Settings
from dockfix.registry import FixModule
from dockfix.rule import Context, Edit, Finding, Fix, Rule, Safety
from dockfix.tree import Dockerfile

TWO_APT_RUNS = "FROM debian\nRUN apt-get update && apt-get install -y a\n" + (
    "RUN apt-get update && apt-get install -y b\n"
)
# fix module, input, the right rewrite, a wrong one (and what makes it wrong)
CASES = [
    (
        "merge_apt_runs",
        TWO_APT_RUNS,
        "FROM debian\nRUN apt-get update && apt-get install -y a && apt-get install -y b\n",
        "FROM debian\nRUN apt-get update && apt-get install -y b && apt-get install -y a\n",
    ),
    (
        "merge_apt_runs",
        TWO_APT_RUNS,
        "FROM debian\nRUN apt-get update && apt-get install -y a && apt-get install -y b\n",
        "FROM debian\nRUN --network=host apt-get update && apt-get install -y a b\n",
    ),
    (
        "yarn_cache_clean",
        "FROM node:20\nRUN yarn install\n",
        "FROM node:20\nRUN yarn install && yarn cache clean\n",
        "FROM node:20\nRUN yarn install && rm -rf /usr/local/share/.cache\n",  # another removal
    ),
    (
        "sudo_as_root",
        "FROM ubuntu\nRUN sudo -E apt-get install -y curl\n",
        "FROM ubuntu\nRUN apt-get install -y curl\n",
        "FROM ubuntu\nRUN apt-get install -y -E curl\n",  # the option moved
    ),
    (
        "sudo_as_root",
        "FROM ubuntu\nRUN sudo -u app make\n",
        "FROM ubuntu\nRUN sudo -u app make\n",
        "FROM ubuntu\nRUN make\n",  # sudo -u app runs as another user
    ),
    (
        "pip_no_cache",
        "FROM centos:7\nRUN pip3 install -U pip && pip3 install x\n",
        "FROM centos:7\nRUN pip3 install -U pip && pip3 install --no-cache-dir x\n",
        "FROM centos:7\nRUN pip3 install -U pip && pip3 install --no-cache-dir -U x\n",
    ),
    (
        "wget_progress",
        "FROM debian\nRUN wget https://x/a.tgz\n",
        "FROM debian\nRUN wget --progress=dot:giga https://x/a.tgz\n",
        "FROM debian\nRUN wget --progress=dot:giga -O a https://x/a.tgz\n",  # another file
    ),
    (
        "wget_progress",
        "FROM alpine\nRUN wget https://x/a.tgz\n",
        "FROM alpine\nRUN wget -q https://x/a.tgz\n",
        "FROM alpine\nRUN curl -fsSLO https://x/a.tgz\n",  # another tool
    ),
    (
        "useradd_no_log_init",
        "FROM debian\nRUN useradd -u 1234567 app\n",
        "FROM debian\nRUN useradd -l -u 1234567 app\n",
        "FROM debian\nRUN useradd -l -u 1234 app\n",  # another user ID
    ),
    (
        "apk_no_cache",
        "FROM alpine\nRUN apk update && apk add curl\n",
        "FROM alpine\nRUN apk add --no-cache curl\n",
        "FROM alpine\nRUN apk add --no-cache curl wget\n",  # another package
    ),
    (
        "apk_no_cache",
        "FROM alpine\nRUN apk update && apk add curl\n",
        "FROM alpine\nRUN apk add --no-cache curl\n",
        "FROM alpine\nRUN apk add --no-cache curl && apk update\n",  # the update moved
    ),
    (
        "apk_no_cache",
        "FROM php:8-alpine\nRUN apk add --no-network --virtual .rundeps $runDeps\n",
        "FROM php:8-alpine\nRUN apk add --no-cache --no-network --virtual .rundeps $runDeps\n",
        # --no-network dropped: the install may fetch packages
        "FROM php:8-alpine\nRUN apk add --no-cache --virtual .rundeps $runDeps\n",
    ),
    (
        "apt_hygiene",
        "FROM debian\nRUN apt upgrade -y && apt clean\n",
        "FROM debian\nRUN apt-get upgrade --with-new-pkgs -y && apt-get clean\n",
        "FROM debian\nRUN apt-get dist-upgrade -y && apt-get clean\n",  # removes packages
    ),
    (
        "pip_no_cache",
        "FROM python:3.12\nRUN pip install -r requirements.txt\n",
        "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n",
        "FROM python:3.12\nRUN pip install --no-cache-dir requirements.txt\n",  # -r lost
    ),
    (
        "pip_no_cache",
        "FROM python:3.12\nRUN pip install x\n",
        "FROM python:3.12\nRUN pip install --no-cache-dir x\n",
        "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n",  # an ENV instead
    ),
    (
        "rpm_assume_yes",
        "FROM fedora\nRUN dnf install curl\n",
        "FROM fedora\nRUN dnf install -y curl\n",
        "FROM fedora\nRUN dnf install -y curl-minimal\n",  # another package
    ),
    (
        "rpm_assume_yes",
        "FROM opensuse/leap\nRUN zypper in curl\n",
        "FROM opensuse/leap\nRUN zypper -n in curl\n",
        "FROM opensuse/leap\nRUN zypper -n --no-gpg-checks in curl\n",  # an extra flag
    ),
    (
        "rpm_clean_cache",
        "FROM fedora\nRUN dnf install -y curl\n",
        "FROM fedora\nRUN dnf install -y curl && dnf clean all\n",
        "FROM fedora\nRUN dnf install -y curl\nRUN dnf clean all\n",  # a RUN of its own
    ),
    (
        "rpm_clean_cache",
        "FROM fedora\nRUN dnf install -y curl\n",
        "FROM fedora\nRUN dnf install -y curl && dnf clean all\n",
        "FROM fedora\nRUN dnf install -y curl && rm -rf /var/cache\n",  # another removal
    ),
    (
        "healthcheck_json",
        "FROM node:20\nHEALTHCHECK --interval=30s CMD node hc.js\n",
        'FROM node:20\nHEALTHCHECK --interval=30s CMD ["node", "hc.js"]\n',
        'FROM node:20\nHEALTHCHECK --interval=10s CMD ["node", "hc.js"]\n',  # another option
    ),
    (
        "healthcheck_json",
        "FROM nginx\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
        'FROM nginx\nHEALTHCHECK CMD ["/bin/sh", "-c", "curl -f http://localhost/ || exit 1"]\n',
        # Split into words, `||` and `exit` would be curl's arguments.
        'FROM nginx\nHEALTHCHECK CMD ["curl", "-f", "http://localhost/", "||", "exit", "1"]\n',
    ),
    (
        "healthcheck_json",
        'FROM nginx\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        "HEALTHCHECK CMD curl -f http://localhost/ | grep ok\n",
        'FROM nginx\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        'HEALTHCHECK CMD ["/bin/bash", "-o", "pipefail", "-c",'
        ' "curl -f http://localhost/ | grep ok"]\n',
        # The daemon ran it with the SHELL, not /bin/sh: the pipe's status would differ.
        'FROM nginx\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        'HEALTHCHECK CMD ["/bin/sh", "-c", "curl -f http://localhost/ | grep ok"]\n',
    ),
    (
        "apt_hygiene",
        "FROM debian:12\nRUN apt-get update; apt-get install -y curl\n",
        "FROM debian:12\nRUN apt-get update; apt-get install -y curl"
        " && rm -rf /var/lib/apt/lists/*\n",
        # `;` without `set -e`: the lists would go even after a failed install.
        "FROM debian:12\nRUN apt-get update; apt-get install -y curl"
        "; rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "venv_activate",
        "FROM ubuntu:24.04\nRUN source /opt/a.sh && source /opt/b.sh && make\n",
        "FROM ubuntu:24.04\nRUN . /opt/a.sh && . /opt/b.sh && make\n",
        "FROM ubuntu:24.04\nRUN . /opt/a.sh && . /opt/b.sh --force && make\n",  # an argument
    ),
    (
        "rpm_clean_cache",
        "FROM fedora\nRUN set -eux; dnf install -y curl; curl --version\n",
        "FROM fedora\nRUN set -eux; dnf install -y curl; curl --version; dnf clean all\n",
        "FROM fedora\nRUN set -eux; dnf install -y curl; curl --version; dnf clean\n",  # half
    ),
]


def _condition(module: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"dockfix.fixes.{module}").POSTCONDITION


@pytest.mark.parametrize(("module", "before", "right", "wrong"), CASES)
def test_postcondition_accepts_the_fix_and_catches_a_wrong_rewrite(
    module: str, before: str, right: str, wrong: str
) -> None:
    condition = _condition(module)
    assert condition(dockfix.parse(before), dockfix.parse(right)) is None
    assert condition(dockfix.parse(before), dockfix.parse(wrong)) is not None


@pytest.mark.parametrize(("module", "before", "right", "wrong"), CASES)
def test_the_engine_stops_a_wrong_rewrite(module: str, before: str, right: str, wrong: str) -> None:
    condition = _condition(module)
    wrong_tree = dockfix.parse(wrong)

    def check(tree: Dockerfile, ctx: Context) -> Iterator[Finding]:
        if tree.code != before:
            return
        fix = Fix((Edit(tree.items, wrong_tree.items),), Safety.SAFE, postcondition=condition)
        yield Finding(rule, tree.instructions[-1], "x", fix)

    rule = Rule(code="DF999", name="wrong-" + module, summary="test", safety=Safety.SAFE)
    fake = FixModule(rule, check, "")
    with pytest.raises(engine.InternalError) as info:
        engine.run(dockfix.parse(before), [fake], Context(None, Settings()))
    assert info.value.reason.startswith("broke its post-condition")
