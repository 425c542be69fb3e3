# escape=`
from ubuntu:24.04
run apt-get update && apt-get install -y curl `
    && apt clean `
    && rm -rf /var/lib/apt/lists/*
run apt dist-upgrade -y