FROM python:3.12-slim
# the build stage needs root to install; the app must not run as root
WORKDIR /app
COPY . .
CMD ["python", "app.py"]
