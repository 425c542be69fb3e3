# Comment lines between an opening `cd DIR && \` and the rest stay where
# they are: only the cd goes from the first line (`RUN \`).
FROM ubuntu:22.04
RUN mkdir -p /opt/build && cd /opt/build && curl -fsSL https://example.com/yasm.tgz -o yasm.tgz && tar xzf yasm.tgz
RUN cd /opt/build/yasm-1.3.0 && \
    # TODO remove the line below once nothing needs it.
    # `sed -i "s/x/y/" Makefile.in` && \

    ./configure --prefix=/usr/local && \
    make install
# a comment among the commands before the cd goes with them into their RUN
RUN curl -fsSL https://example.com/b.tgz -o /tmp/b.tgz && \
    # unpack
    tar xzf /tmp/b.tgz -C /opt/build && \
    cd /opt/build/b && \
    make install
# a cd on a line of its own after the opening commands: that line goes
RUN set -eux; \
    cd /opt/build; \
    # list what was fetched
    ls -l
# refused: what stays would read differently (the spaces before `make`
# become part of the command, which BuildKit keeps as written)
RUN set -eux; cd /opt/build; \
    # build
    make
RUN set -eux; \
  cd /opt/build; \
    # build
    make
# `&&` opening each line: the lines of the mkdir and the cd go whole
RUN set -ex \
    && mkdir -p /usr/src \
    && cd /usr/src \
    # fetch the sources
    && curl -fsSL https://example.com/x.tgz -o x.tgz \
    && tar xzf x.tgz
CMD ["yasm"]
