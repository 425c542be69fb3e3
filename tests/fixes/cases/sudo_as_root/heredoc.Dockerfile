FROM ubuntu:24.04
# the build runs as root: sudo goes from the heredoc's script too
RUN <<EOF
set -e
sudo apt-get update
sudo -E apt-get install -y curl
EOF
