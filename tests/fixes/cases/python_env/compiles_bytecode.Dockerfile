FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS builder
# Enable bytecode compilation
ENV UV_COMPILE_BYTECODE=1
ENV UV_LINK_MODE=copy
WORKDIR /app
RUN uv sync --locked --no-install-project

FROM builder AS app
COPY . /app
RUN uv sync --locked

FROM python:3.12-slim
ENV UV_COMPILE_BYTECODE=1
COPY --from=app /app /app
CMD ["python", "-m", "app"]
