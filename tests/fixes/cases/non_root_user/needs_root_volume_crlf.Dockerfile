FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN mkdir -p /data
VOLUME /data
CMD ["python", "app.py"]
