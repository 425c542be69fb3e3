FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN git config --global --add safe.directory "*"
COPY lint /usr/local/bin/lint
CMD ["lint"]
