FROM alpine:3.20
RUN apk add --no-cache curl
WORKDIR /srv
COPY app /srv/app
ENTRYPOINT ["/srv/app"]
