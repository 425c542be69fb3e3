"""What cd-workdir keeps in a RUN under a WORKDIR above it: the commands
before the `cd` that do the same in the new folder (`hoistable`)."""

from __future__ import annotations

import pytest

from dockfix.fixes.cd_workdir import hoistable, own_folder
from dockfix.words import unknown

ENV = {
    "BUILD_DEPS": "gcc make",
    "ODD": "./local.deb",
    "V": "1.2",
    "KEYS": "AED5EE6C45D0FE8D 2A684B57436A81FA",
    "REPO_URL": unknown("arg:REPO_URL=https://example.com/app.git"),
}


def _lookup(name: str) -> str | None:
    return ENV.get(name)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # Messages and literal assignments make nothing.
        ("echo '## Build' && printf done", False),
        ('VERSION=1.2 && export LANG="C.UTF-8"', False),
        # Package installs by name, from URLs, with the file's variables.
        ("apk add --no-cache --virtual .fetch-deps gnupg $BUILD_DEPS", True),
        ("apk add -X https://dl-cdn.alpinelinux.org/alpine/edge/testing foo", True),
        ("apk -U upgrade && apk add --no-cache foo", True),
        ("apk add --repository=http://example.com/alpine foo", True),
        ('saved="$(apt-mark showmanual)"; apt-get update; apt-get install -y curl', True),
        ("apt-get -o Dpkg::Options::=--force-confold install -y foo > /dev/null", True),
        ("yum install -y --enablerepo=epel foo && yum clean all", True),
        ("dnf install -y --setopt=tsflags=nodocs foo", True),
        ("mkdir -p /opt/a /opt/b; rm -rf /var/lib/apt/lists/*", True),
        # Values computed from text, an `if` on them, a clone into the folder.
        ('export ARCH=$(uname -m) && if [ "$ARCH" = "x86_64" ]; then ARCH=amd64; fi', False),
        ('V=$(echo "$BUILD_DEPS" | cut -d" " -f1); true', False),
        ("git clone --depth 1 -b v1.2 https://example.com/app.git /usr/src/app", False),
        ("git clone https://example.com/app.git /usr/src/app/", False),
        ('git clone --filter=tree:0 "${REPO_URL}" /usr/src/app', False),
        ("git clone $ODD /usr/src/app", None),  # a path, read from the folder
        ("git clone https://example.com/app.git /usr/src", None),  # the WORKDIR fills it
        ("git clone https://example.com/lib.git /opt/lib", False),  # elsewhere
        ("git clone --branch v${V} https://example.com/v${V}.git /usr/src/app/lib", True),
        ("git clone https://example.com/v${NOPE}.git /opt/lib", None),  # a value not known
        ("git clone https://example.com/app.git", None),  # into the folder it starts in
        ("git clone ./local /usr/src/app", None),
        ("git -C /x clone https://example.com/app.git /usr/src/app", None),
        ("curl -fsSL https://example.com/a.tgz | tar -xz -C /usr/src", False),
        ("wget -qO /tmp/a.tgz https://example.com/a.tgz && tar xzf /tmp/a.tgz -C /usr/src", False),
        ("curl -fsSLO https://example.com/a.tgz && tar xzf a.tgz", None),
        # A file downloaded under a plain name, checked, unpacked and removed.
        (
            'URL="https://example.com/a-${V}.tgz" && curl -fsSL -o a.tgz "$URL"'
            ' && echo "$SHA  a.tgz" | sha256sum -c -'
            " && mkdir -p /usr/src/app && tar -xzC /usr/src/app -f a.tgz && rm a.tgz",
            False,
        ),
        ("curl -fsSL -o a.tgz https://example.com/a.tgz && tar -xzf a.tgz -C /opt", None),
        # Variables the script assigns once: packages by name, a URL.
        ("deps=' curl make ' && apk add --virtual .d $deps", True),
        ("deps='./x.apk' && apk add $deps", None),
        ("deps=curl && deps=./x.apk && apk add $deps", None),  # which one is not told
        # The php images' own script, exports of quoted values.
        ('export CFLAGS="$BUILD_DEPS" LDFLAGS=-pie && docker-php-source extract', True),
        ("docker-php-source delete", False),  # /usr/src/php: not the folder or above it
        ("V=$(cat VERSION)", None),
        # A `case` statement: each branch read like the others, whichever runs.
        (
            'case "$(uname -m)" in x86_64) a=amd64 ;; aarch64|arm64) a=arm64 ;;'
            ' *) echo >&2 "unsupported: $a"; exit 1 ;; esac; apk add curl',
            True,
        ),
        ("case $BUILD_DEPS in gcc*) echo gcc ;; esac", False),
        ("case $(cat ARCH) in x) echo x ;; esac", None),  # reads a file
        ("case $a in x) ./prepare.sh ;; esac", None),
        ("case $a in x) exit 0 ;; esac", None),  # no cd, no folder: a WORKDIR makes one
        ("case $a in x) echo x ;; esac | cat", None),
        # A URL set in each branch is a URL either way; a URL and a path are not.
        (
            "case $a in x) u=https://example.com/x.tgz ;; *) u=https://example.com/y.tgz ;;"
            " esac; curl -fsSLo /tmp/a.tgz $u",
            False,
        ),
        ("u=https://example.com/x.tgz; u=./y.tgz; curl -fsSLo /tmp/a.tgz $u", None),
        ("if [ -d /usr/src/app ]; then echo yes; fi", None),
        ("while true; do echo x; done", None),
        # A file of the folder: a package file, a glob, a relative option value.
        ("apt-get install -y ./app.deb", None),
        ("apt-get install -y $ODD", None),
        ("apt-get install -y $UNDEFINED", None),
        ("apk add py3-*", None),
        ("apk add --repositories-file repos foo", None),
        ("apk add -X ./repo foo", None),
        ("apt-get install -y -c apt.conf foo", None),
        ("dnf install -y --setopt=reposdir=repos foo", None),
        ("apt-get install -y foo > install.log", None),
        # Removals of packages, of the folder or one above it, relative paths.
        ("apt-get purge -y foo", None),
        ("apk del .build-deps", None),
        ("rm -rf /usr/src", None),
        ("rm -rf build", None),
        ("mkdir /usr", None),
        # Anything else: a download into the folder, pipes, groups, loops.
        ("wget -O app.tgz https://example.com/app.tgz", None),
        ("curl -fsSL https://example.com/key | apt-key add -", None),
        ("{ apt-get update; }", None),
        ("for p in a b; do apk add $p; done", None),  # a loop variable's value is not known
        # Keys fetched in loops, signatures checked, the key folder removed.
        (
            'export GNUPGHOME="$(mktemp -d)"; for key in $KEYS; do'
            " for server in keys.openpgp.org keyserver.ubuntu.com; do"
            ' if gpg --batch --keyserver "$server" --recv-keys "$key"; then break; fi;'
            " done; done; gpg --batch --verify /tmp/a.tgz.asc /tmp/a.tgz;"
            ' gpgconf --kill all; rm -rf "$GNUPGHOME"',
            False,
        ),
        ("export GNUPGHOME=/keys; mkdir -p $GNUPGHOME; gpg --recv-keys ABCD", True),
        ("GNUPGHOME=keys gpg --recv-keys ABCD", None),  # a key folder in the folder
        ("export GNUPGHOME=keys; gpg --recv-keys ABCD", None),
        ("gpg --batch --verify a.tgz.asc a.tgz", None),  # files of the folder
        ("gpg --import key.asc", None),
        ("for f in *.patch; do echo $f; done", None),  # a glob over the folder's files
        ("for f in $ODD; do echo x; done", False),
        ('export savedAptMark="$(apt-mark showmanual)"; apt-get update', True),
        ("apt-get update &", None),
        ("", None),
    ],
)
def test_hoistable(head: str, expected: bool | None) -> None:
    assert hoistable(head, "/usr/src/app", _lookup) is expected


@pytest.mark.parametrize(
    ("folder", "own"),
    [
        ("/usr/src", True),
        ("/usr/src/php", True),
        ("/usr/local/src/x", True),
        ("/tmp/build", True),
        ("/app", True),
        ("/root/work", True),
        ("/opt/tool", False),
        ("/usr/local/jetty", True),  # /usr/local, but none of its FHS folders
        ("/usr/local/lib/app", False),
        ("/usr/local", False),
        ("/etc/nginx", False),
        ("/usr/share/app", False),
        ("/var/www", False),
        ("/", False),
    ],
)
def test_own_folder(folder: str, own: bool) -> None:
    assert own_folder(folder) is own
