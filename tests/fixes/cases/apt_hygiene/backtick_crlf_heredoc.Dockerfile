# escape=`
FROM debian:bookworm
RUN <<EOF
apt-get install curl
EOF
RUN apt-get update `
    && apt-get install -y `
        curl `
        git