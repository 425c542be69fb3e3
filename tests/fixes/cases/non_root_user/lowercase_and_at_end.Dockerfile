from alpine:3.20
run apk add --no-cache curl && \
  mkdir /data
workdir /srv
copy app /srv/app
entrypoint ["/srv/app"]
