FROM redis:7
# redis's entrypoint branches on its first argument: the CMD keeps /bin/sh there
COPY redis.conf /usr/local/etc/redis/redis.conf
CMD redis-server /usr/local/etc/redis/redis.conf

FROM python:3.12-slim AS app
# the stage's CMD would reach a JSON ENTRYPOINT as arguments
CMD ["--debug"]
ENTRYPOINT python app.py

FROM python:3.12-slim AS reset
# no CMD of its own: BuildKit drops the image's CMD under a new ENTRYPOINT
ENTRYPOINT python app.py

FROM node:20 AS web
# node's entrypoint runs a program name as given
CMD npm start

FROM alpine:3.20 AS init
ENTRYPOINT ["/sbin/tini", "-g", "--"]
CMD app --serve
