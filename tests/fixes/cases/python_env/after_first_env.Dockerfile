FROM python:3.12-slim
WORKDIR /app
ENV APP_HOME=/app
COPY . .
