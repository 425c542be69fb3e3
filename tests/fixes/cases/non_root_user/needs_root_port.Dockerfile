FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir gunicorn flask
CMD ["gunicorn", "-b", "0.0.0.0:80", "app:app"]
