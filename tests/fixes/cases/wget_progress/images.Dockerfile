FROM debian:bookworm-slim
RUN wget https://example.com/a.tar.gz
RUN wget -q https://example.com/a.tar.gz && wget -nv https://example.com/b && wget --progress=bar:force https://example.com/c
RUN wget -qO- https://example.com/install.sh | sh && wget -O /tmp/x https://example.com/x
RUN wget -o /tmp/log https://example.com/a && wget --no-verbose https://example.com/b

FROM alpine:3.20
RUN wget https://example.com/a.tar.gz
RUN apk add --no-cache wget && wget https://example.com/a.tar.gz

FROM alpine:3.20 AS gnu
RUN apk add --no-cache wget

FROM gnu
run wget https://example.com/a.tar.gz

FROM fedora:40
RUN wget https://example.com/a.tar.gz

FROM python:3.12
RUN /usr/bin/wget https://example.com/a.tar.gz

FROM ubuntu:24.04
# hadolint ignore=DL3047
RUN wget https://example.com/a.tar.gz
