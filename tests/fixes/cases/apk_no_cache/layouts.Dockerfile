FROM alpine:3.20
RUN apk update && \
    apk add \
        curl \
        git && \
    rm -rf /var/cache/apk/*
RUN set -ex \
    && apk update \
    && apk add --virtual .deps gcc \
    && make \
    && apk del .deps
RUN apk update \
    # the index first
    && apk add curl
RUN FOO=1 apk update && apk add curl
RUN apk update >/dev/null && apk add curl
