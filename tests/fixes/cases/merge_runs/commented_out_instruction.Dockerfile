FROM debian:12
RUN mkdir -p /opt/tool
# RUN curl -LO https://example.com/tool-old.tgz
# Mirrored for reliability
RUN curl -LO https://example.com/mirror/tool.tgz
# unpack it
RUN tar -C /opt/tool -xf tool.tgz
# Run the self-test
RUN /opt/tool/bin/tool --self-test
