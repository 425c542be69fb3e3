FROM python:3.12
# hadolint ignore=DL3044
ENV PATH="$PATH:/app/.venv/bin"
# dockfix: ignore=path-prepend
ENV PATH="$PATH:/app/.venv/bin"
ENV PATH="$PATH:/app/.venv/bin"