FROM ubuntu:24.04
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl && \
    rm -rf /var/lib/apt/lists/*
RUN     buildDeps="autoconf \
                   automake \
                   cmake \
                   g++ \
                   make" && \
    apt-get update && \
    apt-get install -y --no-install-recommends ${buildDeps} && \
    rm -rf /var/lib/apt/lists/*
ENV PREFIX=/opt/ffmpeg
ENV LD_LIBRARY_PATH=/opt/ffmpeg/lib
