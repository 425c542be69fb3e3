FROM ubuntu:24.04
RUN cd /opt && make
WORKDIR /build
RUN git clone https://example.com/x.git && cd x && make
RUN cd /a && make && cd /b && make
RUN cd $HOME && ls
RUN cd ~/src && make
RUN cd /x || exit 1
RUN cd /x; make
RUN (cd /x && make)
RUN cd /x && cd - && ls
RUN cd /x && echo "$OLDPWD"
RUN --mount=type=cache,target=/root/.cache cd /root/.cache/pip && ls
RUN --mount=type=bind,source=.,target=/src cd /src && make
RUN cd /x && \
    # the comment would be lost
    make
# hadolint ignore=DL3003
RUN cd /y && make
