FROM alpine:3.20
MAINTAINER Jane Doe \
# a comment inside the continuation
    <jane@example.org>

FROM alpine:3.20
LABEL org.opencontainers.image.authors="someone else"
MAINTAINER Jane Doe
