FROM ubuntu:24.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake git \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/setup-env.sh /etc/profile.d/
