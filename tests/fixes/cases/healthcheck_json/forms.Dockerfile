FROM node:20 AS app
# plain words: exec form (safe)
HEALTHCHECK --interval=30s CMD node healthcheck.js

FROM nginx:1.27 AS web
# the shell is needed: written out (unsafe)
healthcheck --interval=1m --start-period=5m \
    cmd curl -f http://localhost/ || exit 1

FROM web AS quiet
HEALTHCHECK NONE
ONBUILD HEALTHCHECK CMD curl -f http://localhost/

FROM alpine:3.20 AS commented
HEALTHCHECK --interval=5s \
    # the probe
    CMD wget -q -O- http://localhost/

# bash runs the check: plain words become JSON, as under sh
FROM debian:12 AS other-shell
SHELL ["/bin/bash", "-c"]
HEALTHCHECK CMD curl -f http://localhost/

# a check that needs the shell: the stage's SHELL is written out, options and all (unsafe)
FROM debian:12 AS needs-bash
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
HEALTHCHECK CMD curl -f http://localhost/ || exit 1

# a login shell reads profiles first: left alone
FROM debian:12 AS login-shell
SHELL ["/bin/bash", "-l", "-c"]
HEALTHCHECK CMD curl -f http://localhost/

FROM debian:12 AS heredoc
RUN <<EOT
echo ready
EOT
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK CMD $HOME/bin/probe --quick
