FROM docker.io/library/python:3.12 AS build
ENV PYTHONUNBUFFERED=0
RUN pip wheel .
FROM build AS test
RUN pytest
FROM node:20 AS assets
RUN npm ci
FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim
COPY --from=build /w /w