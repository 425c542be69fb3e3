# escape=`
FROM debian:bookworm
WORKDIR /srv
COPY app `
    /srv/app
CMD ["/srv/app"]