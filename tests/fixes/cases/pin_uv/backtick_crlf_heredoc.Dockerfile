# escape=`
FROM python:3.12
COPY <<EOF /etc/uv-note
ghcr.io/astral-sh/uv:latest
EOF
RUN --mount=from=ghcr.io/astral-sh/uv:latest,source=/uv,target=/bin/uv `
    uv pip install --system flask