FROM alpine:3.20
RUN apk add curl
RUN apk update && apk add curl && rm -rf /var/cache/apk/*
RUN apk --update add git
RUN apk add --no-cache bash
RUN apk add -q --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps
RUN apk update && apk upgrade && apk add jq
RUN apk update; apk add make
RUN apk -U upgrade && apk add --no-cache openssl
RUN /sbin/apk add tzdata
RUN --mount=type=cache,target=/var/cache/apk apk add vim
run apk update && apk add nano && apk info -a nano

FROM alpine:3.20
RUN apk update && apk add curl
RUN apk add --no-network --allow-untrusted /tmp/local.apk
