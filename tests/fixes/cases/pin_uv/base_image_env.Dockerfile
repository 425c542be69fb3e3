FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim
ENV PATH="/app/.venv/bin:$PATH"
WORKDIR /app
RUN uv sync --locked
