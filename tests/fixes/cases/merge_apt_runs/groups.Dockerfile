FROM debian:bookworm
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
# git for the sources
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y \
        git \
        openssh-client \
    && rm -rf /var/lib/apt/lists/*

RUN apt-get update && apt-get install -y make
RUN echo between
run apt-get install -y a && apt-get clean
run apt-get update && apt-get install -y b

FROM ubuntu:24.04
RUN apt-get update && apt-get install -y ca-certificates
RUN apt-get update && apt-get install -y curl
RUN apt-get update && apt-get install -y ./local.deb
RUN apt-get update && apt-get install -y vim
