FROM debian:bookworm-slim
WORKDIR /srv
RUN apt-get update && \
  apt-get install -y --no-install-recommends curl && \
  rm -rf /var/lib/apt/lists/*
COPY app /srv/app
CMD ["/srv/app"]
