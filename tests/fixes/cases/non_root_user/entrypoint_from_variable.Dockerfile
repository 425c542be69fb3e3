# The entrypoint is copied from a path a build argument names: it cannot be
# read, so whether it steps down from root (gosu) is not known. Reported.
FROM debian:bookworm-slim
ARG ENTRYPOINT_PATH=docker/entrypoint.sh
WORKDIR /usr/local/app
COPY . .
COPY ${ENTRYPOINT_PATH} /docker-entrypoint.sh
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["app-start"]
