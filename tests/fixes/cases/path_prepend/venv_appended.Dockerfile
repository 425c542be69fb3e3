FROM python:3.12-slim
ENV PATH="${PATH}:/opt/venv/bin"
