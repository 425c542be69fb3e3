FROM alpine:3.20 AS base
RUN apk update && apk add curl
RUN apk search -v openssl

FROM alpine:3.20 AS other
RUN apk update && apk add curl
# hadolint ignore=DL3019
RUN apk add git

FROM base
RUN echo done
