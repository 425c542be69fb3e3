FROM python:3.12
WORKDIR /app
RUN uv venv && uv pip install flask
RUN uv venv /opt/v && uv pip install --python /opt/v/bin/python flask
FROM python:3.12
ENV VIRTUAL_ENV=/opt/venv
RUN uv venv $VIRTUAL_ENV && uv pip install x
FROM python:3.12
RUN uv pip install --system flask
