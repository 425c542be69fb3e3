# escape=`
FROM debian:bookworm-slim
COPY --from=tianon/gosu:1.17 `
    /gosu /usr/local/bin/
WORKDIR /srv
COPY app /srv/app
CMD ["/srv/app"]
