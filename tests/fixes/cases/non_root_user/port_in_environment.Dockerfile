# A port below 1024 in the environment the application reads.
FROM python:3.12-slim
WORKDIR /app
COPY . .
ENV APP_PORT="443" WORKERS=4
CMD ["python", "serve.py"]
