FROM myorg/heredoc:1.0 AS heredoc-only
# apt-get in a here-document is not read: nothing shows the shell.
RUN <<EOT
set -e
apt-get update
EOT
RUN curl -fsSL https://example.com/x | sh

FROM myorg/base:1.0 AS shown
RUN apt-get update && apt-get install -y curl
RUN <<EOT
set -e
curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt
EOT
CMD ["app"]
