FROM alpine:3.20
LABEL org.opencontainers.image.title="app"
LABEL org.opencontainers.image.version="1.0"
MAINTAINER jane@example.org
