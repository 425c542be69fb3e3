FROM debian:12-slim
# curl, wget and git get ca-certificates as a recommendation: it is added
RUN apt-get update \
    && apt-get install -y curl unzip \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y \
    git \
    make \
 && rm -rf /var/lib/apt/lists/*
