# A build environment: tools only, no project copied (not reported)
FROM fedora:40 AS toolchain
RUN dnf install -y gcc make autoconf && dnf clean all
COPY install-sdk.sh /tmp/
RUN /tmp/install-sdk.sh

# The image that holds what the toolchain built: reported
FROM debian:bookworm-slim
COPY --from=toolchain /opt/sdk/bin/tool /usr/local/bin/tool
