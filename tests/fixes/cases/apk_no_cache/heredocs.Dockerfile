FROM alpine:3.20
# the update only serves the install after it: it goes with its line
RUN <<EOF
set -eux
apk update
apk add \
    curl \
    git
rm -rf /var/cache/apk/*
EOF
# no errexit, a quoted name, --update dropped for --no-cache
RUN <<'END'
apk add --update bash
bash --version
END
# the update stays: apk search reads the stored index
RUN <<EOF
apk update
apk search -v python3
apk add python3
EOF

FROM alpine:3.20 AS later
# the update stays: a later heredoc installs without refreshing the index
RUN <<EOF
apk update
apk add make
EOF
RUN <<EOF
apk list --available
EOF

FROM alpine:3.20 AS other
# left alone: a shebang (run as a file), <<- with tabs, a heredoc given to a command
RUN <<EOF
#!/bin/sh
apk add vim
EOF
RUN <<-EOF
	apk add vim
	EOF
RUN sh <<EOF
apk add vim
EOF
