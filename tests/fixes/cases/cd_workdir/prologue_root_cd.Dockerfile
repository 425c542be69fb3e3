FROM debian:12
WORKDIR /usr/src
RUN set -eux; \
    mkdir app; \
    cd app; \
    wget -O app.tgz "$APP_URL"; \
    tar -xf app.tgz; \
    cd /; \
    rm -rf /usr/src/app/app.tgz
