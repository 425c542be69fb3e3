# With no WORKDIR the working directory is `/`, which the user is never
# given: a VOLUME anywhere is root's (a package made its folder), and another
# user could not write there. Reported, no USER added.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends influxdb \
    && rm -rf /var/lib/apt/lists/*
VOLUME /var/lib/influxdb
EXPOSE 8086
CMD ["influxd"]
