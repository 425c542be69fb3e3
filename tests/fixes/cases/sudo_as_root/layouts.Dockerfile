FROM debian:bookworm
RUN sudo \
        apt-get install -y curl \
    && sudo \
    # a comment between sudo and its command
        rm -rf /var/lib/apt/lists/*
RUN set -eux; \
    sudo apt-get update; \
    sudo apt-get install -y git
RUN ["sudo", "apt-get", "install", "-y", "x"]
RUN <<EOF
sudo apt-get install -y y
EOF
