# Clear Linux's /bin/sh is bash: bash gets pipefail, and in a base image
# (no CMD) the default shell comes back after the last piped RUN.
FROM clearlinux:latest
RUN swupd bundle-add curl && curl -fsSL https://example.com/key | gpg --import
RUN ls /usr/share | wc -l > /count
