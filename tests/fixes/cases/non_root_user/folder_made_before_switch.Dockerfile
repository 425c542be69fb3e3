FROM debian:bookworm-slim
RUN mkdir -p /data/cache
COPY app /usr/local/bin/app
WORKDIR /data
CMD ["app"]
