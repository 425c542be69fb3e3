FROM debian:bookworm
WORKDIR /srv
COPY app /srv/app
RUN <<EOF
set -e
chmod +x /srv/app
EOF
CMD ["/srv/app"]
