FROM php:8.3-fpm-alpine AS official
RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
		coreutils \
# the headers for gd
		libpng-dev \
	; \
	docker-php-ext-install gd; \
	runDeps="$(scanelf --needed --nobanner --recursive /usr/local | awk '{ print "so:" $1 }' | sort -u)"; \
	apk add --no-network --virtual .phpexts-rundeps $runDeps; \
	apk del --no-network .build-deps

FROM official AS both
# A plain install and an offline one: two rounds, the second unsafe.
run apk add curl && apk add --no-network --virtual .keep so:libcurl.so.4

FROM myorg/php:8.3-alpine AS not-official
RUN apk add --no-network --virtual .rundeps so:libpng16.so.16

FROM alpine:3.20 AS updated
RUN apk update
RUN apk add --no-network --virtual .rundeps so:libpng16.so.16

FROM alpine:3.20 AS cache-folder
RUN mkdir -p /etc/apk/cache
RUN apk add --no-network --virtual .rundeps so:libpng16.so.16

FROM alpine:3.20 AS cache-mount
RUN --mount=type=cache,target=/var/cache/apk apk add --no-cache curl
RUN apk add --no-network --virtual .rundeps so:libcurl.so.4

FROM alpine:3.20 AS copied
COPY repositories /etc/apk/
RUN apk add --no-network --virtual .rundeps so:libcurl.so.4

FROM alpine:3.20 AS same-run
RUN apk add -U curl && apk add --no-network --virtual .rundeps so:libcurl.so.4
