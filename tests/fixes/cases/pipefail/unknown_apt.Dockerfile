FROM myorg/base:1.0
# The base image is not known, but apt-get runs in it: Debian-like, bash is Essential.
RUN apt-get update \
    # tools for the download below
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# install the tool
RUN curl -fsSL https://example.com/install.sh | sh

FROM ${BASE_IMAGE} AS built
RUN set -eux; \
    dnf -y install curl; \
    curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt; \
    dnf clean all

FROM built
RUN curl -fsSL https://example.com/y.tar.gz | tar -xz -C /opt
CMD ["app"]
