from alpine:3.20
workdir /srv
run cd /srv/www && \
    npm ci
run cd /tmp && ls