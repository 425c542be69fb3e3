FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN mkdir -p "cache/$BUILD_ID"
CMD ["python", "main.py"]
