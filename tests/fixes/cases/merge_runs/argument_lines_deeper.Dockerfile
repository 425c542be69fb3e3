FROM debian:12
RUN \
    apt-get update
RUN \
    # the tools
    apt-get install -y \
    curl \
    # and git
    git
RUN echo "a \
    b"
