FROM centos:7
# CentOS 7's git (1.8.3) has no -C.
RUN git clone https://example.com/a.git /a && cd /a && git checkout v1

FROM debian:bookworm AS modern
RUN git clone https://example.com/a.git /a && cd /a && git checkout v1
