FROM python:3.12-slim
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY . .
RUN uv venv /opt/venv && uv pip install -e .
