# escape=`
FROM debian:bookworm
RUN wget `
        https://example.com/a.tgz
RUN <<EOF
wget https://example.com/b.tgz
EOF
