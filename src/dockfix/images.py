"""What is known of a base image from its name: which shells it has.

Only names whose distribution is certain are classified: the official
images of a distribution, and the official language and service images,
whose default variant is Debian (or Ubuntu) unless the tag names another
(`-alpine`, `-windowsservercore`, …). Anything else is unknown, unless the
configuration declares it (`image-shells`, see `declared_shells`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fnmatch import fnmatchcase


class Shells(enum.Enum):
    """The shells of an image, as far as `SHELL` and `RUN` are concerned."""

    DASH = "debian"  # /bin/sh is dash; bash is installed (it is Essential)
    BASH = "rhel"  # /bin/sh is bash
    ASH = "alpine"  # /bin/sh and /bin/ash are BusyBox ash


# Tags and names that say which distribution an image is built on.
_ALPINE = re.compile(r"alpine")
_NOT_LINUX = re.compile(r"windows|nanoserver|servercore|ltsc")
# Repositories that publish Windows images only (.NET Framework, IIS).
_WINDOWS_ONLY = re.compile(r"dotnet/framework|dotnet-framework|(?:\A|/)iis\Z")
_NO_SHELL = re.compile(r"distroless|chainguard|chiseled|scratch|busybox|-micro\b|micro\Z|static")
# A tag's words (a `$` stands for a variable: `-ubuntu${UBUNTU_VERSION}`).
_DEBIAN_TAG = re.compile(
    r"(?:\A|[-_.])(slim|bookworm|bullseye|buster|stretch|trixie|jammy|focal|noble|bionic|xenial"
    r"|ubuntu[\d.]*|debian\d*)(?:\Z|[-_.$])"
)
_RHEL_TAG = re.compile(
    r"(?:\A|[-_.])(ubi\d*|centos\d*|oraclelinux\d*|oracle|rockylinux\d*|amzn\d*)(?:\Z|[-_.$])"
)
# LinuxServer.io's base images (every linuxserver/* image is built FROM one):
# Ubuntu's and Alpine's userland, no WORKDIR and no USER in any of their
# Dockerfiles' branches (focal to noble; Alpine 3.17 to edge), on Docker Hub,
# GitHub's registry and their own.
LINUXSERVER_UBUNTU = frozenset(
    f"{registry}linuxserver/baseimage-ubuntu" for registry in ("", "ghcr.io/", "lscr.io/")
)
LINUXSERVER_ALPINE = frozenset(
    f"{registry}linuxserver/baseimage-alpine" for registry in ("", "ghcr.io/", "lscr.io/")
)
# Official images of a distribution.
_DISTRIBUTIONS = {
    "debian": Shells.DASH,
    "ubuntu": Shells.DASH,
    "buildpack-deps": Shells.DASH,
    "alpine": Shells.ASH,
    "docker": Shells.ASH,
    "centos": Shells.BASH,
    "fedora": Shells.BASH,
    "rockylinux": Shells.BASH,
    "rockylinux/rockylinux": Shells.BASH,
    "almalinux": Shells.BASH,
    # The CentOS Stream and Fedora projects' own images on quay.io.
    "quay.io/centos/centos": Shells.BASH,
    "quay.io/fedora/fedora": Shells.BASH,
    "quay.io/fedora/fedora-minimal": Shells.BASH,  # bash is Fedora's only /bin/sh
    "registry.fedoraproject.org/fedora": Shells.BASH,
    "registry.fedoraproject.org/fedora-minimal": Shells.BASH,
    "amazonlinux": Shells.BASH,
    "oraclelinux": Shells.BASH,
    "redhat/ubi8": Shells.BASH,
    "redhat/ubi9": Shells.BASH,
    "registry.access.redhat.com/ubi8": Shells.BASH,
    "registry.access.redhat.com/ubi9": Shells.BASH,
    "registry.access.redhat.com/ubi8/ubi": Shells.BASH,
    "registry.access.redhat.com/ubi9/ubi": Shells.BASH,
    "redhat/ubi8-minimal": Shells.BASH,
    "redhat/ubi9-minimal": Shells.BASH,
    "redhat/ubi10": Shells.BASH,
    "redhat/ubi10-minimal": Shells.BASH,
    "registry.access.redhat.com/ubi8/ubi-minimal": Shells.BASH,
    "registry.access.redhat.com/ubi9/ubi-minimal": Shells.BASH,
    "registry.access.redhat.com/ubi8-minimal": Shells.BASH,
    "registry.access.redhat.com/ubi9-minimal": Shells.BASH,
    # openSUSE's and Arch Linux's images: bash is their /bin/sh.
    "opensuse/leap": Shells.BASH,
    "opensuse/tumbleweed": Shells.BASH,
    "registry.opensuse.org/opensuse/leap": Shells.BASH,
    "registry.opensuse.org/opensuse/tumbleweed": Shells.BASH,
    "archlinux": Shells.BASH,
    # Clear Linux OS: no dash nor BusyBox; /bin/sh is bash (Intel's own
    # Dockerfiles on it `source` files in RUN).
    "clearlinux": Shells.BASH,
    # The official images on Amazon's registry.
    "public.ecr.aws/amazonlinux/amazonlinux": Shells.BASH,
    "public.ecr.aws/ubuntu/ubuntu": Shells.DASH,
    "public.ecr.aws/debian/debian": Shells.DASH,
    **dict.fromkeys(LINUXSERVER_UBUNTU, Shells.DASH),
    **dict.fromkeys(LINUXSERVER_ALPINE, Shells.ASH),
}
# Official images built on Debian or Ubuntu unless the tag says otherwise.
_DEBIAN_DEFAULT = frozenset(
    {
        "python",
        "node",
        "golang",
        "ruby",
        "php",
        "perl",
        "rust",
        "openjdk",
        "eclipse-temurin",
        "maven",
        "gradle",
        "nginx",
        "httpd",
        "postgres",
        "redis",
        "mariadb",
        "elixir",
        "erlang",
        "haskell",
        "julia",
        "r-base",
        "swift",
        "clojure",
        "groovy",
        "tomcat",
        "jetty",
        "wordpress",
        "drupal",
        "ghost",
        "gcc",
        "pypy",
        "mongo",
        "rabbitmq",
        "neo4j",
        "sonarqube",
        "jenkins/jenkins",
        "nextcloud",
        "joomla",
        "mediawiki",
        "matomo",
        "odoo",
        "memcached",
        "haproxy",
        "varnish",
        "couchdb",
        "cassandra",
        "solr",
        # Cypress's images (on node's Debian images) and Playwright's (Ubuntu).
        "cypress/base",
        "cypress/browsers",
        "cypress/included",
        "cypress/factory",
        "mcr.microsoft.com/playwright",
        "mcr.microsoft.com/dotnet/sdk",
        "mcr.microsoft.com/dotnet/aspnet",
        "mcr.microsoft.com/dotnet/runtime",
        "mcr.microsoft.com/dotnet/runtime-deps",
        "mcr.microsoft.com/devcontainers/base",
        "mcr.microsoft.com/devcontainers/python",
        "mcr.microsoft.com/devcontainers/javascript-node",
        "mcr.microsoft.com/devcontainers/typescript-node",
        "mcr.microsoft.com/devcontainers/go",
        "mcr.microsoft.com/devcontainers/java",
        "mcr.microsoft.com/devcontainers/ruby",
        "mcr.microsoft.com/devcontainers/php",
        "mcr.microsoft.com/devcontainers/rust",
        "mcr.microsoft.com/devcontainers/cpp",
        "mcr.microsoft.com/devcontainers/dotnet",
        "mcr.microsoft.com/devcontainers/universal",
        "mcr.microsoft.com/devcontainers/jekyll",
        "mcr.microsoft.com/devcontainers/miniconda",
        "mcr.microsoft.com/devcontainers/anaconda",
        "mcr.microsoft.com/vscode/devcontainers/base",
        "mcr.microsoft.com/vscode/devcontainers/python",
        "mcr.microsoft.com/vscode/devcontainers/javascript-node",
        "mcr.microsoft.com/vscode/devcontainers/typescript-node",
        "mcr.microsoft.com/vscode/devcontainers/go",
        "mcr.microsoft.com/vscode/devcontainers/java",
        "mcr.microsoft.com/vscode/devcontainers/ruby",
        "mcr.microsoft.com/vscode/devcontainers/php",
        "mcr.microsoft.com/vscode/devcontainers/rust",
        "mcr.microsoft.com/vscode/devcontainers/cpp",
        "mcr.microsoft.com/vscode/devcontainers/dotnet",
        "mcr.microsoft.com/vscode/devcontainers/universal",
        "mcr.microsoft.com/vscode/devcontainers/jekyll",
        "mcr.microsoft.com/vscode/devcontainers/miniconda",
        "mcr.microsoft.com/vscode/devcontainers/anaconda",
        # .NET's images under their names before .NET 5.
        "mcr.microsoft.com/dotnet/core/sdk",
        "mcr.microsoft.com/dotnet/core/aspnet",
        "mcr.microsoft.com/dotnet/core/runtime",
        "mcr.microsoft.com/dotnet/core/runtime-deps",
        "continuumio/miniconda3",
        "continuumio/anaconda3",
        "jupyter/base-notebook",
        "jupyter/scipy-notebook",
        "jupyter/minimal-notebook",
        "tensorflow/tensorflow",
        "pytorch/pytorch",
        "nvidia/cuda",
        "rocker/r-ver",
        "rocker/rstudio",
        "rocker/tidyverse",
    }
)
# Red Hat's and Fedora's image families (bash is their /bin/sh).
_RHEL_FAMILY = re.compile(
    r"\A(?:registry\.access\.redhat\.com/|registry\.redhat\.io/|quay\.io/\w+/)?"
    r"(?:ubi\d+/(?!.*micro)[\w.-]+|[\w.-]*/?s2i-(?:core|base)[\w.-]*)\Z"
)
# Amazon's images on Amazon Linux (no dash there: /bin/sh is bash), Lambda's
# too; Amazon Corretto's on Amazon Linux 2 and 2023 but for the `-alpine`
# tags, on Amazon's registry and as the official `amazoncorretto` image.
_AMAZON = re.compile(
    r"\A(?:public\.ecr\.aws/(?:lambda/[\w.-]+|amazoncorretto/amazoncorretto)|amazoncorretto)\Z"
)
# CircleCI's images: `cimg/*` are built on cimg/base, itself on the official
# Ubuntu image, whatever the tag; the legacy `circleci/*` extend the official
# language images (Debian unless the tag names another variant).
_CIMG = re.compile(r"\Acimg/[\w.-]+\Z")
# Gitpod's workspace images: workspace-base is built FROM buildpack-deps:jammy
# and the others FROM it, with no SHELL in any of their Dockerfiles.
_GITPOD = re.compile(r"\A(?:docker\.io/)?gitpod/workspace-[\w.-]+\Z")
_PANDOC = re.compile(r"\A(?:docker\.io/)?pandoc/(?:minimal|core|latex|extra)\Z")
_CIRCLECI = re.compile(r"\Acircleci/[\w.-]+\Z")
# Names whose tag decides: these tags are on other distributions.
_OTHER_TAGS = re.compile(r"amazoncorretto|corretto|azurelinux|mariner|cbl|oracle|ubi|rocky|centos")


# The official images are also published per architecture (`arm64v8/debian`)
# and mirrored on Amazon's and Microsoft's registries
# (`public.ecr.aws/docker/library/debian`,
# `mcr.microsoft.com/mirror/docker/library/debian`): the same images under
# another name.
_OFFICIAL_MIRROR = re.compile(
    r"\A(?:(?:amd64|arm32v5|arm32v6|arm32v7|arm64v8|i386|mips64le|ppc64le|riscv64|s390x)/"
    r"|public\.ecr\.aws/docker/library/|mcr\.microsoft\.com/mirror/docker/library/)"
    r"(?=[\w.-]+(?::|\Z))"
)


def split(image: str) -> tuple[str, str]:
    """(repository, tag) in lower case, without `docker.io/`, `library/`, an
    architecture namespace of the official images or a digest."""
    name = image.lower().split("@", 1)[0]
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        name = name.removeprefix(prefix)
    name = _OFFICIAL_MIRROR.sub("", name.removeprefix("library/"))
    repository, _, tag = name.rpartition(":") if ":" in name.rsplit("/", 1)[-1] else (name, "", "")
    return repository, tag


# Image shells the configuration declares (`image-shells`: a glob of image
# names and the family of their shells), for the file being fixed (set by
# `declared_shells` around the fixes; a context variable, so that each file,
# thread or server request sees its own configuration's).
_DECLARED: ContextVar[tuple[tuple[str, Shells], ...]] = ContextVar("image_shells", default=())


@contextmanager
def declared_shells(declared: tuple[tuple[str, Shells], ...]) -> Iterator[None]:
    """Within this block, `shells` knows the images `declared` names."""
    token = _DECLARED.set(declared)
    try:
        yield
    finally:
        _DECLARED.reset(token)


def shells(image: str) -> Shells | None:
    """The shells of `image` (a reference as written in FROM), or None if
    unknown: what dockfix knows of official and distribution images, else
    what the configuration declares (`declared_shells`)."""
    known = _known_shells(image)
    if known is not None or not _DECLARED.get():
        return known
    repository, tag = split(image)
    if not repository or "$" in repository:
        return None
    reference = f"{repository}:{tag}" if tag else repository
    for pattern, family in _DECLARED.get():
        if fnmatchcase(reference, pattern.lower()) or fnmatchcase(repository, pattern.lower()):
            return family
    return None


def _known_shells(image: str) -> Shells | None:
    repository, tag = split(image)
    if not repository or "$" in repository:
        return None
    if is_windows(image) or _NO_SHELL.search(repository) or _NO_SHELL.search(tag):
        return None
    # A variable may expand to anything: only the tag's literal text decides.
    tag = re.sub(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*", "$", tag)
    if _NOT_LINUX.search(tag) or _NO_SHELL.search(tag):
        return None
    if repository in _DISTRIBUTIONS:
        return _DISTRIBUTIONS[repository]  # whatever the tag
    if _RHEL_FAMILY.search(repository):
        return Shells.BASH
    if _CIMG.match(repository) or _GITPOD.match(repository):
        return Shells.DASH
    if _PANDOC.match(repository):
        # pandoc/minimal, core, latex and extra, each FROM the one before,
        # on the distribution the tag names (a bare tag is Alpine's, but a
        # variable may stand for any): no SHELL in any of their Dockerfiles.
        if _ALPINE.search(tag):
            return Shells.ASH
        return Shells.DASH if _DEBIAN_TAG.search(tag) else None
    if _AMAZON.match(repository):
        if _ALPINE.search(tag):
            return Shells.ASH
        return None if "$" in tag else Shells.BASH  # `:$V` may be `:21-alpine`
    if repository in _DEBIAN_DEFAULT or _CIRCLECI.match(repository):
        if _ALPINE.search(tag):
            return Shells.ASH
        if _RHEL_TAG.search(tag):
            return Shells.BASH
        if _OTHER_TAGS.search(tag):
            return None
        if "$" in tag and not _DEBIAN_TAG.search(tag):
            return None  # `python:$V` may be `python:3.12-alpine`
        return Shells.DASH
    return None


# Official images whose Dockerfiles set no WORKDIR, whatever the tag: their
# containers, and the stages built FROM them, start in `/`. Only images whose
# every variant is known to leave it unset (nor Windows variants).
_DOTNET_IMAGES = ("runtime-deps", "runtime", "aspnet", "sdk")
_NO_WORKDIR = frozenset(
    {"debian", "ubuntu", "alpine", "busybox", "centos", "fedora", "rockylinux", "almalinux"}
    | {"amazonlinux", "oraclelinux", "python", "node", "nginx", "buildpack-deps", "rust"}
    | {"eclipse-temurin", "elixir", "openjdk"}
    # Images of distributions and vendors, built without a WORKDIR too.
    | {"rockylinux/rockylinux", "nvidia/cuda"}
    | LINUXSERVER_UBUNTU
    | LINUXSERVER_ALPINE
    # .NET's Linux images (runtime-deps, runtime, aspnet, sdk, each FROM the
    # one before), current and under their old `dotnet/core/` names.
    | {f"mcr.microsoft.com/dotnet/{kind}" for kind in _DOTNET_IMAGES}
    | {f"mcr.microsoft.com/dotnet/core/{kind}" for kind in _DOTNET_IMAGES}
)
# Official images whose every Linux variant ends with the same WORKDIR
# (golang's `WORKDIR $GOPATH`, httpd's `$HTTPD_PREFIX`, tomcat's
# `$CATALINA_HOME`, redis's `/data`).
_WORKDIRS = {
    "golang": "/go",
    "httpd": "/usr/local/apache2",
    "tomcat": "/usr/local/tomcat",
    "redis": "/data",
}


def default_workdir(image: str) -> str | None:
    """The working directory of an official image known from its Dockerfiles
    (`/` where they set none), else None. erlang's and php's depend on the
    variant (erlang's old `onbuild` images end with `WORKDIR /usr/src/app`): php's
    apache and fpm images end with `WORKDIR /var/www/html`, its cli and zts
    images (`php:8.3`, `php:8.3-alpine`) set none. `image` as written
    (`debian:${V}`) or expanded (build arguments as unknowns)."""
    repository, tag = split(re.sub("\x00[^\x00]*\x00", "$", image))
    if "$" in repository or _NOT_LINUX.search(tag):
        return None
    if repository in _NO_WORKDIR:
        return "/"
    if repository == "php" and "$" not in tag:
        return "/var/www/html" if "apache" in tag or "fpm" in tag else "/"
    if repository == "erlang" and "$" not in tag:
        return None if "onbuild" in tag else "/"  # the old onbuild images: /usr/src/app
    return _WORKDIRS.get(repository)


# Variables the official images' Dockerfiles set with ENV in every variant
# and version (their config's environment), which a Dockerfile built FROM them
# may expand: BuildKit reads them from the image and does not report them.
_OFFICIAL_ENV: dict[str, frozenset[str]] = {
    "php": frozenset({"PHP_INI_DIR", "PHP_VERSION", "PHPIZE_DEPS"}),
    "python": frozenset({"PYTHON_VERSION"}),
    "node": frozenset({"NODE_VERSION"}),
    "golang": frozenset({"GOLANG_VERSION", "GOPATH"}),
    "ruby": frozenset({"RUBY_VERSION", "GEM_HOME"}),
    "eclipse-temurin": frozenset({"JAVA_HOME", "JAVA_VERSION"}),
    "postgres": frozenset({"PG_MAJOR", "PG_VERSION", "PGDATA"}),
    "nginx": frozenset({"NGINX_VERSION"}),
    "httpd": frozenset({"HTTPD_PREFIX", "HTTPD_VERSION"}),
    "rust": frozenset({"RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"}),
    "redis": frozenset({"REDIS_VERSION"}),
    "tomcat": frozenset({"CATALINA_HOME"}),
}


# Of those, the ones whose value is the same in every Linux variant and
# version (tomcat's `ENV CATALINA_HOME /usr/local/tomcat`); not postgres's
# PGDATA, which moved in version 18.
_OFFICIAL_ENV_VALUES: dict[str, dict[str, str]] = {
    "tomcat": {"CATALINA_HOME": "/usr/local/tomcat"},
    "httpd": {"HTTPD_PREFIX": "/usr/local/apache2"},
    "golang": {"GOPATH": "/go"},
    "php": {"PHP_INI_DIR": "/usr/local/etc/php"},
    "ruby": {"GEM_HOME": "/usr/local/bundle"},
    "rust": {"RUSTUP_HOME": "/usr/local/rustup", "CARGO_HOME": "/usr/local/cargo"},
}


def _official_linux(image: str) -> str | None:
    """The repository of `image` (as written, or expanded with build arguments
    as unknowns) where its tag is not a Windows one, else None."""
    repository, tag = split(re.sub("\x00[^\x00]*\x00", "$", image))
    if "$" in repository or _NOT_LINUX.search(tag):
        return None
    return repository


def official_env_values(image: str) -> dict[str, str]:
    """The values of the variables of `official_env` that every Linux variant
    and version of the image sets alike (`CATALINA_HOME` in `tomcat:*`)."""
    repository = _official_linux(image)
    return dict(_OFFICIAL_ENV_VALUES.get(repository, {})) if repository else {}


def official_env(image: str) -> frozenset[str]:
    """The variables an official image's config sets whatever its tag
    (`PHP_INI_DIR` in `php:*`), or none where the image is not one known."""
    repository = _official_linux(image)
    return _OFFICIAL_ENV.get(repository, frozenset()) if repository else frozenset()


# Official images whose config has no ENTRYPOINT, whatever the tag, and those
# whose entrypoint script runs a command given as a program name unchanged
# (node's and php's prepend `node`/`php` only to an option or a name no
# program has): a JSON CMD of plain words runs as its shell form did. Not
# nginx, redis, postgres, mysql, mongo, rabbitmq, maven or eclipse-temurin,
# whose entrypoints branch on their first argument.
_NO_ENTRYPOINT = frozenset(
    {"debian", "ubuntu", "alpine", "busybox", "centos", "fedora", "rockylinux", "almalinux"}
    | {"amazonlinux", "oraclelinux", "buildpack-deps", "python", "golang", "ruby", "rust"}
    | {"perl", "openjdk", "scratch"}
)
_COMMAND_ENTRYPOINT = frozenset({"node", "php"})


def runs_command_as_given(image: str) -> bool:
    """Whether a container of `image` (as written in FROM) runs its CMD as
    given: no ENTRYPOINT, or one that execs a program name unchanged."""
    repository, tag = split(image)
    if not repository or "$" in repository or _NOT_LINUX.search(tag):
        return False
    return repository in _NO_ENTRYPOINT or repository in _COMMAND_ENTRYPOINT


# Official images whose own command starts a server as root that drops
# privileges itself (nginx's and httpd's workers, the entrypoints of the
# databases stepping down with gosu) or writes where only root may (caddy's
# /data, tomcat's logs): as another user, they fail when they start.
_ROOT_SERVERS = frozenset(
    {"nginx", "httpd", "postgres", "mysql", "mariadb", "mongo", "redis", "rabbitmq"}
    | {"cassandra", "couchdb", "ghost", "tomcat", "caddy", "wordpress", "drupal", "joomla"}
    | {"nextcloud", "mediawiki"}
)


def starts_server_as_root(image: str) -> bool:
    """Whether `image` (as written in FROM) is an official server image whose
    own command needs to start as root (php's apache and fpm variants too)."""
    repository, tag = split(image)
    if repository in _ROOT_SERVERS:
        return True
    return repository == "php" and bool(re.search(r"apache|fpm", tag))


# Unprivileged users official images create for their applications, as
# (name, UID, home), from the images' Dockerfiles: the Node.js images' `node`
# (UID and GID 1000, in the Debian and the Alpine variants alike), and since
# .NET 8 the .NET images' `app` (UID and GID 1654, `$APP_UID`, made in
# runtime-deps, which runtime, aspnet and sdk are built on).
_IMAGE_USERS = {"node": ("node", "1000", "/home/node")}
_DOTNET = re.compile(
    r"\Amcr\.microsoft\.com/dotnet/(?:nightly/)?(?:runtime-deps|runtime|aspnet|sdk)\Z"
)
_DOTNET_APP_USER = ("app", "1654", "/home/app")


def image_user(image: str) -> tuple[str, str, str] | None:
    """The unprivileged user (name, UID, home) `image` (as written in FROM)
    creates for its application, for the official images known to."""
    repository, tag = split(image)
    if _NOT_LINUX.search(tag):
        return None
    if _DOTNET.match(repository):
        major = re.match(r"(\d+)\.", tag)
        if tag in ("", "latest") or (major is not None and int(major.group(1)) >= 8):
            return _DOTNET_APP_USER
        return None
    return _IMAGE_USERS.get(repository)


# Images whose config sets a user other than root (`USER` in their own
# Dockerfiles): a stage built on one runs as that user unless the file
# switches. Gitpod's workspace images (gitpod), Jupyter's docker-stacks
# (jovyan), Jenkins (jenkins), CircleCI's cimg (circleci), code-server
# (coder) and Selenium's (seluser).
_NON_ROOT_USER_IMAGES = re.compile(
    r"\A(?:gitpod/workspace-[\w.-]+|(?:quay\.io/)?jupyter/[\w.-]+|jenkins/jenkins"
    r"|cimg/[\w.-]+|codercom/code-server|selenium/[\w.-]+)\Z"
)


def vendor_root_image(image: str) -> bool:
    """Whether `image` (as written in FROM) is a vendor's image known to run
    as root (no `USER` in its config): Microsoft's .NET images, whose `app`
    user (since 8.0) is there to switch to, not set."""
    repository, tag = split(image)
    return bool(_DOTNET.match(repository)) and not _NOT_LINUX.search(tag)


def runs_as_non_root(image: str) -> bool:
    """Whether `image` (as written in FROM) is known to set a user other
    than root in its config."""
    repository, _ = split(image)
    return bool(_NON_ROOT_USER_IMAGES.match(repository))


# Images whose ENTRYPOINT is s6-overlay's `/init`, which runs as root and
# starts the services as the users they name (LinuxServer.io's images take
# PUID/PGID; Home Assistant's add-on bases, which add-ons name by the build
# argument BUILD_FROM that Home Assistant's builder passes).
_S6_OVERLAY_IMAGES = re.compile(
    r"\A(?:(?:ghcr\.io|lscr\.io)/)?linuxserver/[\w./-]+\Z"
    r"|\A(?:ghcr\.io/)?(?:home-assistant|hassio-addons)/[\w./-]+\Z"
    r"|\Ahomeassistant/[\w.-]+-base(?:-[\w.-]+)?\Z"
)
_BUILD_FROM = re.compile(r"\A\$(?:BUILD_FROM|\{BUILD_FROM\})\Z")


def s6_overlay_image(image: str) -> bool:
    """Whether `image` (as written in FROM) starts with s6-overlay's `/init`,
    which must run as root (it steps down for each service itself)."""
    if _BUILD_FROM.match(image.strip()):
        return True
    repository, _ = split(image)
    return bool(_S6_OVERLAY_IMAGES.match(repository))


# Images whose config sets a SHELL of their own, with pipefail: CircleCI's
# cimg/* (bash -exo pipefail, from cimg/base) and Jupyter's docker-stacks.
_CONFIGURED_SHELLS = (
    (_CIMG, ("/bin/bash", "-exo", "pipefail", "-c")),
    (re.compile(r"\A(?:quay\.io/)?jupyter/[\w.-]+\Z"), ("/bin/bash", "-o", "pipefail", "-c")),
)


def configured_shell(image: str) -> tuple[str, ...] | None:
    """The SHELL `image`'s config sets, for the images known to set one."""
    repository, _ = split(image)
    for pattern, shell in _CONFIGURED_SHELLS:
        if pattern.match(repository):
            return shell
    return None


def unprivileged_variant(image: str) -> str | None:
    """The image made to run the same server as a non-root user, if known."""
    repository, _ = split(image)
    return "nginxinc/nginx-unprivileged" if repository == "nginx" else None


def is_windows(image: str) -> bool:
    """Whether `image` (as written in FROM) names a Windows image: a Windows
    tag or name (`servercore`, `nanoserver`, `ltsc2022`, `windows/…`) or a
    repository that publishes Windows images only (`dotnet/framework/sdk`).
    Their RUNs run in cmd.exe, or PowerShell where the image sets it."""
    repository, tag = split(image)
    return bool(
        _NOT_LINUX.search(repository) or _NOT_LINUX.search(tag) or _WINDOWS_ONLY.search(repository)
    )
