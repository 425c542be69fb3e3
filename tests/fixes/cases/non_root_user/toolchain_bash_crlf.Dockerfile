FROM ubuntu:24.04
RUN apt-get update \
# build tools for the images built FROM this one
    && apt-get install -y --no-install-recommends build-essential git \
    && rm -rf /var/lib/apt/lists/*
CMD ["/bin/bash"]