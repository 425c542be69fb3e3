FROM debian:12-slim

# curl for the health check;
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# the application
COPY app /usr/local/bin/app
CMD ["app"]
