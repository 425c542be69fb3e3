FROM python:3.12-slim
ENV LANG=C.UTF-8
RUN uv pip install --system tool && poetry --version
RUN uv venv /opt/venv
RUN uv pip install -r requirements.txt
