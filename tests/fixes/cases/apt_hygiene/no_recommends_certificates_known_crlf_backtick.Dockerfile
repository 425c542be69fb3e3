# escape=`
FROM ubuntu:24.04
# the file installs ca-certificates itself: nothing added
RUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y `
    wget `
    && rm -rf /var/lib/apt/lists/*
