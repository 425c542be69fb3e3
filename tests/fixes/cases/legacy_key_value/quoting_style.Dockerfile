FROM python:3.12-slim
ENV PYTHONUNBUFFERED="1"
ENV PIP_NO_CACHE_DIR="off"
ENV APP_ENV production
LABEL team platform
