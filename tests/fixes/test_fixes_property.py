"""Property: every fix together, on random Dockerfiles built from realistic
lines, never trips the safety net, and its output is stable."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockfix

try:  # BuildKit's parser, where its wheel exists (see tests/test_differential.py)
    import dockerfile as buildkit
except ImportError:
    buildkit = None
from dockfix import engine
from dockfix.config import Settings
from dockfix.registry import all_fixes
from dockfix.rule import Context

LINES = [
    "FROM python:3.12-slim",
    "FROM alpine AS b",
    "FROM b",
    "FROM debian",
    "from ubuntu",
    "ENV A=1",
    "ENV B $A",
    'ENV PATH="${PATH}:/opt/venv/bin"',
    "ENV PATH $PATH:/x/bin",
    'env c="x y"',
    "WORKDIR /app",
    "WORKDIR sub",
    "COPY . .",
    "ADD . /app/",
    "COPY requirements.txt .",
    "COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/",
    "RUN apt-get update",
    "RUN apt install curl",
    "RUN apt-get install -y x && \\\n    echo hi",
    "RUN apt-get update \\\n    && apt-get install y \\\n    && rm -rf /tmp/x",
    "RUN pip install -r requirements.txt",
    "RUN uv venv /opt/venv && uv pip install -e .",
    "RUN uv pip install --locked .",
    "RUN uv sync --locked",
    "RUN . /opt/venv/bin/activate",
    "RUN source /v/bin/activate && pip install x",
    "RUN pip install uv",
    "RUN <<EOF\necho\nEOF",
    "CMD python app.py",
    'CMD ["a"]',
    "ENTRYPOINT app --x",
    "USER root",
    "USER app",
    "USER 1000",
    "EXPOSE 80",
    "LABEL a=b",
    "# comment",
    "# hadolint ignore=DL3009",
    "# dockfix: ignore=merge-env",
    "",
    "  ",
    "HEALTHCHECK CMD curl x",
    "ARG V=1",
    'SHELL ["/bin/bash", "-c"]',
    "RUN npm ci",
    "RUN go build ./...",
    "RUN poetry install",
    "ONBUILD RUN x",
    "VOLUME /data",
    "FROM rockylinux:9",
    "ADD app.py /srv/",
    "ADD src /srv/src",
    "COPY a.txt b.txt /data",
    "COPY a b .",
    "RUN cd /tmp && make",
    "RUN mkdir -p /b && cd /b && cmake ..",
    "RUN cd sub && make \\\n    && make install",
    "RUN curl -fsSL x | sh",
    "RUN echo a | tee /log",
    "RUN echo one",
    "RUN export A=1",
    "RUN touch /x",
    "RUN yum install httpd",
    "RUN dnf install -y a \\\n    && echo b",
    "RUN zypper in curl; zypper clean",
    "RUN microdnf install x && microdnf clean all",
    "RUN yum -C install y",
    "FROM alpine:3.20",
    "RUN apk update && apk add curl",
    "RUN apk update \\\n    && apk add --virtual .d gcc",
    "RUN apk info -a x",
    "RUN python -m pip install -e .",
    "ENV PIP_NO_CACHE_DIR=1",
    "RUN pip3 install -U pip && pip3 install x",
    "RUN wget https://x/y && useradd -u 123456 u",
    "RUN apk add wget",
    # BuildKit's spelling checks
    "env K v  w",
    'ENV Q "a b" c',
    "LABEL description A small app",
    "MAINTAINER Jane Doe <jane@example.org>",
    "from alpine as Build",
    "COPY --from=Build /a /b",
    "RUN --mount=type=cache,target=/c,from=Build true",
    "EXPOSE 53/UDP 80/TCP",
    "FROM --platform=$TARGETPLATFORM alpine",
    "RUN a \\\n\n    b",
    "Run echo mixed",
    "healthcheck cmd curl x",
    "ONBUILD env K v",
    "RUN yarn install && yarn build",
    "RUN sudo apt-get install -y x | sudo tee /y",
    "FROM node:20",
    "RUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*",
    "RUN apt-get install -y b \\\n    && apt-get clean",
]

files = st.tuples(
    st.lists(st.sampled_from(LINES), min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)


@pytest.fixture(scope="module")
def context_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("context")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "a"\nversion = "1"\ndependencies = ["gunicorn", "uvicorn"]\n'
    )
    (root / "requirements.txt").write_text("flask\n")
    (root / "uv.lock").write_text("version = 1\n")
    return root


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(files)
def test_all_fixes_on_random_dockerfiles(
    context_dir: Path, case: tuple[list[str], str, bool]
) -> None:
    lines, newline, final_newline = case
    text = "FROM python:3.12\n" + "\n".join(lines) + ("\n" if final_newline else "")
    text = text.replace("\n", newline)
    try:
        tree = dockfix.parse(text)
    except dockfix.ParseError:
        return
    for unsafe in (False, True):
        result = engine.run(tree, all_fixes(), Context(context_dir, Settings()), unsafe=unsafe)
        output = dockfix.parse(result.code)
        assert output.code == result.code
        if buildkit is not None:
            buildkit.parse_string(result.code)  # BuildKit's own parser accepts the output
        assert result.code.endswith("\n") == text.endswith("\n")
        again = engine.run(
            output, all_fixes(), Context(context_dir, Settings(), dict(result.files)), unsafe
        )
        assert again.code == result.code


@pytest.mark.parametrize(
    "text",
    [
        # BuildKit rejects an empty SHELL; the fixes must not fail on it either.
        "FROM debian:12\nSHELL []\nRUN apt-get install -y a\nRUN useradd -u 1000 x\n"
        "RUN echo a | wc\nCMD echo $A | wc\n",
        "FROM alpine:3.20\nSHELL []\nRUN apk update && apk add curl\nRUN pip install x\n",
    ],
)
def test_all_fixes_on_an_empty_shell(context_dir: Path, text: str) -> None:
    for unsafe in (False, True):
        result = engine.run(
            dockfix.parse(text), all_fixes(), Context(context_dir, Settings()), unsafe=unsafe
        )
        assert dockfix.parse(result.code).code == result.code
