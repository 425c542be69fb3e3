FROM python:3.12
WORKDIR /app
RUN cd /tmp && make
WORKDIR /app
FROM python:3.12-slim
WORKDIR /srv
RUN cd /opt && ./build.sh
WORKDIR /srv
WORKDIR /srv
COPY . .
