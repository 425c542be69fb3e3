"""The post-conditions of merge-env, apt-hygiene, uv-flags, path-prepend,
python-env, uv-venv, venv-activate, non-root-user, dependency-cache and
missing-cmd: each accepts the fix's own output and catches a deliberately
wrong rewrite of the same file, one that the looser `keeps(...)` these fixes
had before would have let through (a changed flag, user or working directory,
another variable, an extra step).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest

import dockfix

Condition = Callable[[dockfix.Dockerfile, dockfix.Dockerfile], "str | None"]

APT = "FROM debian\nRUN apt-get update\nRUN apt install curl\n"
APT_FIXED = (
    "FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
)
PY = "FROM python:3.12-slim\nENV APP=/app\nRUN pip install x\n"
PY_FIXED = (
    "FROM python:3.12-slim\nENV APP=/app\n"
    "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nRUN pip install x\n"
)
UV = "FROM python:3.12-slim\nENV A=1\nRUN uv venv /opt/venv && uv pip install -r r.txt\n"
UV_FIXED = (
    "FROM python:3.12-slim\nENV A=1\nENV VIRTUAL_ENV=/opt/venv\n"
    "RUN uv venv /opt/venv && uv pip install -r r.txt\n"
)
VENV = (
    "FROM python:3.12-slim\nRUN python -m venv /opt/venv\nRUN . /opt/venv/bin/activate\n"
    "RUN source /opt/venv/bin/activate && pip install x\n"
)
VENV_FIXED = (
    "FROM python:3.12-slim\nRUN python -m venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv\n"
    'ENV PATH="/opt/venv/bin:$PATH"\nRUN . /opt/venv/bin/activate && pip install x\n'
)
USER = (
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\nWORKDIR /data\nCMD ["app"]\n'
)
USER_FIXED = (
    "FROM python:3.12-slim\nWORKDIR /app\n"
    "RUN groupadd --gid 10001 app && useradd --no-log-init --uid 10001 --gid app "
    "--create-home app \\\n    && chown app:app /app\n"
    "COPY --chown=app:app . .\nRUN pip install .\nUSER 10001:10001\n"
    'WORKDIR /data\nCMD ["app"]\n'
)
DEPS = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "i.js"]\n'
DEPS_FIXED = (
    "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
    'COPY . .\nCMD ["node", "i.js"]\n'
)
# `COPY . /app`, then `WORKDIR /app`: the full copy moves down past the install.
DEPS_WD = (
    "FROM python:3.12\nCOPY --chown=1:1 . /app\nWORKDIR /app\n"
    "RUN pip install -r r.txt\nCMD python app.py\n"
)
DEPS_WD_FIXED = (
    "FROM python:3.12\nCOPY --chown=1:1 r.txt /app/\nWORKDIR /app\n"
    "RUN pip install -r r.txt\nCOPY --chown=1:1 . /app\nCMD python app.py\n"
)
UV_WD = "FROM python:3.12\nCOPY . /app\nWORKDIR /app\nRUN uv sync --locked\n"
UV_WD_FIXED = (
    "FROM python:3.12\nCOPY pyproject.toml uv.lock /app/\nWORKDIR /app\n"
    "RUN uv sync --locked --no-install-project\nCOPY . /app\nRUN uv sync --locked\n"
)

# fix module, input, the right rewrite, a wrong one (the comment says why)
CASES = [
    (
        "merge_env",
        "FROM alpine\nENV A=1\nENV B=2\n",
        "FROM alpine\nENV A=1 \\\n    B=2\n",
        "FROM alpine\nENV A=1 \\\n    B=3\n",  # another value
    ),
    ("apt_hygiene", APT, APT_FIXED, APT_FIXED.replace("curl", "curl wget")),  # a package
    (
        "apt_hygiene",
        APT,
        APT_FIXED,
        APT_FIXED.replace("RUN apt-get", "RUN --network=host apt-get"),  # a flag
    ),
    (
        "apt_hygiene",
        "FROM debian\nUSER root\nRUN apt-get update\nUSER app\nRUN apt-get install -y x\n",
        "FROM debian\nUSER root\nRUN apt-get update\nUSER app\n"
        "RUN apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian\nUSER root\nUSER app\n"  # joined across a USER: another user
        "RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "uv_flags",
        "FROM python:3.12\nRUN uv pip install --locked -e .\n",
        "FROM python:3.12\nRUN uv sync --locked --no-dev\n",
        "FROM python:3.12\nRUN uv sync --locked --no-dev && rm -rf /app\n",  # more
    ),
    (
        "path_prepend",
        'FROM python:3.12\nENV PATH="$PATH:/opt/venv/bin" A=1\n',
        'FROM python:3.12\nENV PATH="/opt/venv/bin:$PATH" A=1\n',
        'FROM python:3.12\nENV PATH="/opt/venv/bin:$PATH" A=2\n',  # another variable
    ),
    ("python_env", PY, PY_FIXED, PY_FIXED.replace("pip install x", "pip install y")),
    ("python_env", PY, PY_FIXED, PY_FIXED.replace("ENV APP=/app", "ENV APP=/srv")),
    ("uv_venv", UV, UV_FIXED, UV_FIXED.replace("ENV A=1", "ENV A=2")),
    (
        "uv_venv",
        UV,
        UV_FIXED,
        UV_FIXED.replace("ENV VIRTUAL_ENV=/opt/venv\n", "ENV VIRTUAL_ENV=/opt/venv\nUSER app\n"),
    ),
    (
        "venv_activate",
        VENV,
        VENV_FIXED,
        VENV_FIXED.replace("RUN python -m venv /opt/venv\n", ""),  # a real RUN removed
    ),
    (
        "venv_activate",
        VENV,
        VENV_FIXED,
        VENV_FIXED.replace("&& pip install x", "&& pip install y"),
    ),
    (
        "non_root_user",
        USER,
        USER_FIXED,
        USER_FIXED.replace("COPY --chown=app:app . .", "COPY --chown=app:app . /srv"),
    ),
    (
        "non_root_user",
        USER,
        USER_FIXED,
        USER_FIXED.replace("&& chown app:app /app", "&& chown app:app /app && curl -s x"),
    ),
    (
        "non_root_user",
        USER,
        USER_FIXED,
        USER_FIXED.replace("USER 10001:10001\n", "USER 10001:10001\nENV HOME=/tmp\n"),
    ),
    ("dependency_cache:MOVED", DEPS, DEPS_FIXED, DEPS_FIXED.replace("\nCOPY . .\n", "\n")),
    (
        "dependency_cache:MOVED",
        DEPS,
        DEPS_FIXED,
        DEPS_FIXED.replace("RUN npm ci", "RUN --network=none npm ci"),  # another flag
    ),
    (
        "dependency_cache:MOVED",
        DEPS,
        DEPS_FIXED,
        DEPS_FIXED.replace("COPY package.json", "COPY --from=node:20 package.json"),
    ),
    (
        "dependency_cache:MOVED_COPY",
        DEPS_WD,
        DEPS_WD_FIXED,
        DEPS_WD_FIXED.replace("COPY --chown=1:1 . /app", "COPY --chown=1:1 . ."),  # /app/app
    ),
    (
        "dependency_cache:MOVED_COPY",
        DEPS_WD,
        DEPS_WD_FIXED,
        DEPS_WD_FIXED.replace("COPY --chown=1:1 . /app", "COPY . /app"),  # the owner
    ),
    (
        "dependency_cache:MOVED_COPY",
        DEPS_WD,
        DEPS_WD_FIXED,
        DEPS_WD_FIXED.replace("COPY --chown=1:1 . /app\n", ""),  # the source is gone
    ),
    (
        "dependency_cache:MOVED_COPY",
        DEPS_WD,
        DEPS_WD_FIXED,
        # the full copy moved past a step that is not the install
        DEPS_WD_FIXED.replace("WORKDIR /app\n", "WORKDIR /app\nWORKDIR /srv\n").replace(
            "CMD", "WORKDIR /app\nCMD"
        ),
    ),
    (
        "dependency_cache:MOVED_COPY",
        DEPS_WD,
        DEPS_WD_FIXED,
        DEPS_WD_FIXED.replace("WORKDIR /app\n", "WORKDIR /srv\n"),  # runs elsewhere
    ),
    (
        "dependency_cache:MOVED_COPY_AFTER",
        UV_WD,
        UV_WD_FIXED,
        UV_WD_FIXED.replace("COPY . /app\nRUN uv sync --locked\n", "RUN uv sync --locked\n"),
    ),
    (
        "dependency_cache:MOVED_COPY_AFTER",
        UV_WD,
        UV_WD_FIXED,
        # the project's install before the source is there
        UV_WD_FIXED.replace(
            "COPY . /app\nRUN uv sync --locked\n", "RUN uv sync --locked\nCOPY . /app\n"
        ),
    ),
    (
        "missing_cmd",
        "FROM python:3.12\nCOPY . .\n",
        'FROM python:3.12\nCOPY . .\nCMD ["app"]\n',
        'FROM python:3.12\nCOPY . .\nENV A=1\nCMD ["app"]\n',
    ),
]


def _condition(spec: str) -> Condition:
    """`module` (its POSTCONDITION) or `module:NAME`."""
    module, _, name = spec.partition(":")
    found = getattr(importlib.import_module(f"dockfix.fixes.{module}"), name or "POSTCONDITION")
    return found  # type: ignore[no-any-return]


@pytest.mark.parametrize(("module", "before", "right", "wrong"), CASES)
def test_postcondition_accepts_the_fix_and_catches_a_wrong_rewrite(
    module: str, before: str, right: str, wrong: str
) -> None:
    condition = _condition(module)
    assert right != wrong
    assert condition(dockfix.parse(before), dockfix.parse(right)) is None
    assert condition(dockfix.parse(before), dockfix.parse(wrong)) is not None


@pytest.mark.parametrize(
    ("module", "loose"),
    [
        ("apt_hygiene", ("steps", "history")),
        ("non_root_user", ("steps", "history", "config.user")),
        ("dependency_cache", ("steps", "history")),
        ("python_env", ("steps", "history", "config.env")),
    ],
)
def test_the_old_loose_postconditions_missed_these(module: str, loose: tuple[str, ...]) -> None:
    from dockfix.semantics import keeps

    caught = 0
    for name, before, _, wrong in CASES:
        if name.partition(":")[0] == module:
            caught += keeps(*loose)(dockfix.parse(before), dockfix.parse(wrong)) is None
    assert caught >= 1


def test_dependency_cache_rewritten_install() -> None:
    before = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
    right = (
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
        "COPY . .\nRUN npm run build\n"
    )
    condition = _condition("dependency_cache")
    assert condition(dockfix.parse(before), dockfix.parse(right)) is None
    wrong = right.replace("COPY . .\n", "COPY . .\nUSER node\n")  # the rest as another user
    assert condition(dockfix.parse(before), dockfix.parse(wrong)) is not None


def test_dependency_cache_added_install_runs_no_substitution() -> None:
    """The install added before the copy runs nothing that needs the source:
    `VERSION=$(git describe)` carried into it would fail there (the .git
    folder comes with the copy)."""
    before = (
        "FROM golang:1.24\nWORKDIR /src\nCOPY . .\n"
        "RUN VERSION=$(git describe) && go build -ldflags=-X=m.v=$VERSION .\n"
    )
    kept = "RUN VERSION=$(git describe) && go build -ldflags=-X=m.v=$VERSION .\n"
    added = "FROM golang:1.24\nWORKDIR /src\nCOPY go.mod go.sum ./\n{}COPY . .\n" + kept
    condition = _condition("dependency_cache")
    right = added.format("RUN go mod download\n")
    assert condition(dockfix.parse(before), dockfix.parse(right)) is None
    for wrong in (
        "RUN VERSION=$(git describe) && go mod download\n",
        "RUN V=1 && go mod download\n",
    ):
        assert condition(dockfix.parse(before), dockfix.parse(added.format(wrong))) is not None
