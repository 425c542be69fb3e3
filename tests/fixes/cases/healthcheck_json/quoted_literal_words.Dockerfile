FROM alpine:3.20
HEALTHCHECK CMD sh -c '[ -f /tmp/ok ] || exit 1'
FROM alpine:3.20 AS two
HEALTHCHECK --interval=30s CMD wget -q -O /dev/null 'http://localhost:8080/a?b=1&c=2'
