FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv \
    uv pip install --system flask
COPY --from=ghcr.io/astral-sh/uv:0.5.3 /uv /bin/
COPY --from=ghcr.io/astral-sh/uv@sha256:0123abcd /uv /bin/
