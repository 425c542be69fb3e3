FROM python:3.12-slim
WORKDIR /app
RUN python -m venv venv
RUN uv pip install -r requirements.txt
