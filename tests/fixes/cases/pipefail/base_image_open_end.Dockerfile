FROM debian:12
RUN apt-get update && apt-get install -y curl
RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin \
    && tool --version \
