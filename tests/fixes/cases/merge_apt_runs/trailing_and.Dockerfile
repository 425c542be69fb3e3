FROM debian:bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
      curl && \
    rm -rf /var/lib/apt/lists/*
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
      git && \
    rm -rf /var/lib/apt/lists/*
