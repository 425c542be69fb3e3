# escape=`
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y `
    wget `
    && rm -rf /var/lib/apt/lists/*
