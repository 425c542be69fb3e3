# escape=`
FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
RUN apt-get update `
    && apt-get install -y `
        git
RUN <<EOF
apt-get install -y x
EOF
