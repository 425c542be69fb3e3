FROM python:3.12-slim
RUN apt-get update
RUN apt install build-essential libpq-dev
