# A cd through a build argument becomes a WORKDIR that names it as the cd
# did: the shell and the WORKDIR read the value `--build-arg` gives alike.
FROM ubuntu:22.04
ARG TOOL_VER=1.0.1
ARG APP_DIR=/app
RUN curl -fsSL "https://example.com/tool/v${TOOL_VER}.tar.gz" -o /tmp/tool.tgz \
    && tar -xzf /tmp/tool.tgz -C / \
    && cd /tool-${TOOL_VER}/ \
    && make
WORKDIR /usr/src
RUN curl -fsSLO "https://example.com/lib-${TOOL_VER}.tar.gz" && tar -xzf lib-${TOOL_VER}.tar.gz \
    && cd "lib-${TOOL_VER}" && make
# refused: a folder that opens with the argument (absolute or not is not
# told), an argument without a default
ARG EXTRA_VER
RUN mkdir -p ${APP_DIR} && cd ${APP_DIR} && make && rm -rf obj
RUN cd /opt/extra-${EXTRA_VER} && make && rm -rf obj
CMD ["tool"]
