FROM python:3.12-slim AS base
COPY --from=ghcr.io/astral-sh/uv:0.5.0 /uv /usr/local/bin/uv
ENV UV_SYSTEM_PYTHON=1

FROM base AS app
RUN uv venv /opt/tools && uv pip install --python /opt/tools/bin/python httpie
RUN uv pip install -r requirements.txt

FROM python:3.12-slim AS by_arg
COPY --from=ghcr.io/astral-sh/uv:0.5.0 /uv /usr/local/bin/uv
ARG UV_SYSTEM_PYTHON=1
RUN uv venv /opt/tools
RUN uv pip install -r requirements.txt

FROM python:3.12-slim AS parent_venv
ENV VIRTUAL_ENV=/venv

FROM parent_venv AS child
RUN uv venv /opt/other
RUN uv pip install flask

FROM python:3.12-slim AS still_fixed
RUN uv venv /opt/venv
RUN uv pip install flask
