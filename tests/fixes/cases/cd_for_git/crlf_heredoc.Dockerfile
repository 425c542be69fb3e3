FROM alpine:3.20
RUN apk add --no-cache git && \
    git clone https://example.com/a.git /a && \
    cd /a && \
    git checkout v1
RUN <<EOF
set -e
git clone https://example.com/b.git /b && cd /b && git checkout v2
EOF
