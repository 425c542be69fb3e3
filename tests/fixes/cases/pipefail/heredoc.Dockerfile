FROM debian:12
RUN <<EOF
set -e
curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt
EOF
RUN <<EOF bash
echo "no pipe here"
EOF
CMD ["app"]
