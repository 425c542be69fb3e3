FROM debian:bookworm-slim AS base
CMD ["/srv/app"]

FROM base
WORKDIR /srv
COPY app /srv/app
