FROM debian:bookworm
RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl
RUN apt-get update && apt-get install -y git
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y make
RUN apt-get update && apt-get install -y gcc || true
RUN cd /tmp && apt-get install -y ./x.deb
RUN apt-get update; apt-get install -y zip
RUN apt-get update && apt-get install -y unzip # and a comment
RUN ["apt-get", "install", "-y", "tar"]
RUN <<EOF
apt-get update
apt-get install -y xz-utils
EOF
RUN apt-get update && apt-get install -y bzip2

# an assignment of its own is shell state the next RUN would see: not merged
RUN deps=$(cat /tmp/deps.txt) && apt-get install -y $deps
RUN apt-get install -y jq
