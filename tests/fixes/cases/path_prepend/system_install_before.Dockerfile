FROM python:3.12-slim AS base
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# awscli in an environment of its own
RUN python -m venv /opt/aws/venv && /opt/aws/venv/bin/pip install --no-cache-dir awscli
ENV PATH=$PATH:/opt/aws/venv/bin
CMD ["python", "app.py"]

FROM base AS child
RUN python3 -m venv /opt/venv
env PATH="${PATH}:/opt/venv/bin"

FROM python:3.12-slim AS activated
RUN python -m venv /opt/venv && . /opt/venv/bin/activate && pip install flask
ENV PATH=$PATH:/opt/venv/bin

FROM debian:12 AS apt
RUN apt-get update && apt-get install -y --no-install-recommends python3-venv python3-pip \
    python3-yaml \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH=$PATH:/opt/venv/bin

FROM python:3.12-slim AS venv_pip_only
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir flask
ENV PATH=$PATH:/opt/venv/bin
RUN pip install --no-cache-dir gunicorn

FROM debian:12 AS apt_tooling_only
RUN apt-get update && apt-get install -y --no-install-recommends python3-venv python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH=$PATH:/opt/venv/bin
