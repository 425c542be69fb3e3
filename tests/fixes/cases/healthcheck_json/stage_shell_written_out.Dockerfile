FROM debian:bookworm AS app
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update && apt-get install -y --no-install-recommends procps
# the check needs a shell: the stage's own is written out, with its options
HEALTHCHECK --interval=30s CMD pgrep -x server >/dev/null || exit 1
CMD ["server"]

FROM debian:bookworm AS base
SHELL ["/bin/bash", "-c"]
HEALTHCHECK CMD pgrep -x worker || exit 1

# built FROM base with another shell, which would run base's check: left alone
FROM base AS worker
SHELL ["/bin/sh", "-e", "-c"]
CMD ["worker"]
