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
# hadolint ignore=DL3003
RUN cd /y && make
# a cd inside a subshell or group, after other commands: a split would cut it in two
RUN mkdir /s && (echo hi && cd /s && touch a)
RUN apt-get update || (git clone https://example.com/s.git /s && cd /s && git checkout v1)
RUN mkdir /t && { echo hi && cd /t && touch a; }
