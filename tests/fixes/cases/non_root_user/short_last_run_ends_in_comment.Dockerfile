FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN mkdir logs # for the access log
CMD ["python", "main.py"]
