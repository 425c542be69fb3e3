FROM debian:12-slim
# curl, wget and git get ca-certificates as a recommendation: it is added
RUN apt-get update \
    && apt-get install -y curl unzip \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y \
    git \
    make \
 && rm -rf /var/lib/apt/lists/*

# another stage's ca-certificates is not this one's
FROM alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates

FROM debian:12-slim AS fetch
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt

FROM debian:12-slim AS suppressed
# the first install's fix is kept out by the comment above it: the
# second one gets ca-certificates too
# hadolint ignore=DL3015
RUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
