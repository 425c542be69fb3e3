FROM alpine:3.20
RUN apk add --no-cache s6
COPY --chmod=755 <<EOT /usr/local/bin/start
#!/bin/sh
exec s6-setuidgid nobody /srv/app
EOT
COPY app /srv/app
ENTRYPOINT ["start"]
