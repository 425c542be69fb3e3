FROM debian:12 AS errexit
# set -e first: -y is safe, the lists go on a line of their own
RUN <<EOF
set -eux
apt-get update
  apt install \
    curl \
    git
EOF

FROM debian:12 AS plain
# no errexit: -y is unsafe, `&& rm` keeps the script's exit status
RUN <<'END'
apt-get update
apt-get install make
make --version
END

FROM debian:12 AS needed
# a later heredoc installs from these lists: they stay
RUN apt-get update && apt-get install -y gcc
RUN <<EOF
apt-get install -y g++
EOF

FROM debian:12 AS exec-form
# an exec form RUN that names apt: the lists stay too
RUN apt-get update && apt-get install -y vim
RUN ["apt-get", "install", "-y", "nano"]

FROM debian:12 AS python
# a heredoc given to python only reads them by name: lists go
RUN apt-get update && apt-get install -y python3
RUN python3 <<EOF
print("hello")
EOF

FROM debian:12 AS refused
# the last command closes an if: nothing is appended
RUN <<EOF
apt-get update
if true; then apt-get install -y wget; fi
EOF
# already clean
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends wget
rm -rf /var/lib/apt/lists/*
EOF
# left alone: a shebang, <<- with tabs, a heredoc given to a command
RUN <<EOF
#!/bin/bash
apt-get install vim
EOF
RUN <<-EOF
	apt-get install vim
	EOF
RUN bash <<EOF
apt-get install vim
EOF

FROM debian:12 AS apt-list
# `apt list` has no apt-get twin and stays; the install becomes apt-get's
RUN <<EOF
set -e
apt list --installed
apt update
apt install -y jq
EOF
