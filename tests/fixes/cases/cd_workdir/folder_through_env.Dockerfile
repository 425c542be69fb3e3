# A cd through variables of the file becomes a WORKDIR that names them as
# the cd did, so that a new version in ENV still leads to its folder.
FROM fedora:40
ENV TOOL_VERSION=1.7.7 \
    TOOL_HOME=/opt/tool
RUN mkdir -p /usr/src && cd /usr/src \
    && curl -fsSLO https://example.org/tool-$TOOL_VERSION.tar.gz \
    && tar xzf tool-$TOOL_VERSION.tar.gz \
    && cd tool-$TOOL_VERSION \
    && ./configure --prefix=/usr/local \
    && make install
RUN mkdir -p ${TOOL_HOME} && cd ${TOOL_HOME} && tool init
CMD ["tool"]
