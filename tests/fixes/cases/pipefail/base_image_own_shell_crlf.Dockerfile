FROM alpine:3.20
SHELL ["/bin/ash", "-eux", "-c"]
RUN wget -qO- https://example.com/x.tar.gz \
    | tar -xz
RUN echo done