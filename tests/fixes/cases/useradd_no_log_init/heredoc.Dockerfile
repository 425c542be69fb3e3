FROM debian:12
# a heredoc script: the option goes into its body
RUN <<EOF
set -eux
groupadd --gid 100001 app
useradd --uid 100001 --gid app --create-home app
EOF
# run as a file of its own: left alone
RUN <<EOF
#!/bin/bash
useradd --uid 100002 other
EOF
