FROM python:3.12-slim
COPY .env /app/.env
