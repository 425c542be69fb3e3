# escape=`
FROM debian:bookworm
RUN sudo `
        apt-get install -y curl
RUN <<EOF
sudo apt-get install -y y
EOF
