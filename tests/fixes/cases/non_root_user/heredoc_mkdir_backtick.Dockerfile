# escape=`
FROM debian:bookworm
WORKDIR /srv
COPY app /srv/app
RUN <<EOF
set -e
mkdir state
chmod +x /srv/app
EOF
CMD ["/srv/app"]
