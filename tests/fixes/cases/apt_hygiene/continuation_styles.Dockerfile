FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y \
        curl \
        git \
    && apt-get clean
RUN apt-get update && \
    apt-get install --no-install-recommends -y ca-certificates && \
    update-ca-certificates
