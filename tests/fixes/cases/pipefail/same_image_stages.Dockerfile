FROM myorg/base:1.0 AS deps
RUN apt-get update && apt-get install -y build-essential

FROM myorg/base:1.0 AS fetch
# The same image as deps, where apt-get ran: Debian-like.
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt

FROM --platform=linux/arm64 myorg/base:1.0 AS other-platform
RUN curl -fsSL https://example.com/y | sh

FROM myorg/other:1.0 AS other-image
RUN curl -fsSL https://example.com/y | sh
CMD ["app"]
