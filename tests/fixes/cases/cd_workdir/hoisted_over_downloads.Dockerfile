# A download to an absolute path (or through a pipe) and an extraction into
# an absolute folder do the same in the new folder: the WORKDIR goes above
# the whole RUN, whose cleanup stays in its one layer (a split would leave
# the sources in the first). The folder is removed at the end, so the
# working directory before goes back after the RUN.
FROM debian:12
ARG TOOL_URL=https://example.com/tool-1.2.tar.gz
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential curl \
    && curl -fsSL "$TOOL_URL" -o /tmp/tool.tgz \
    && tar -xzf /tmp/tool.tgz -C /usr/src \
    && cd /usr/src/tool-1.2 \
    && ./configure && make && make install \
    && cd / && rm -rf /usr/src/tool-1.2 /tmp/tool.tgz /var/lib/apt/lists/*
RUN wget -qO- https://example.com/lib.tar.gz | tar -xz -C /usr/src \
    && cd /usr/src/lib \
    && make install \
    && rm -rf /usr/src/lib
# refused: a download into the folder the RUN starts in, an extraction there
RUN curl -fsSLO https://example.com/x.tgz && tar -xzf x.tgz -C /usr/src && cd /usr/src/x && make && rm -rf /usr/src/x
RUN curl -fsSL https://example.com/x.tgz | tar -xz && cd x && make && rm -rf x
CMD ["tool"]
