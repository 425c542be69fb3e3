FROM ubuntu:24.04
LABEL       org.opencontainers.image.authors="ops@example.com" \
            org.opencontainers.image.source="https://example.com/repo"
ENV MAKEFLAGS="-j4"
ENV PREFIX="/opt/ffmpeg"
RUN     buildDeps="autoconf \
                   automake" && \
        echo "$buildDeps"
