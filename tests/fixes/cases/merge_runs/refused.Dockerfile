FROM ubuntu:24.04
RUN cd /opt
RUN make
ENV STEP=export
RUN export PATH=/opt/bin:$PATH
RUN tool --version
ENV STEP=set
RUN set -e
RUN false
ENV STEP=source
RUN . /etc/profile
RUN env
ENV STEP=umask
RUN umask 077
RUN touch /secret
ENV STEP=assignment
RUN VERSION=1.2.3
RUN echo "$VERSION"
ENV STEP=read
RUN read -r LINE < /etc/hostname
RUN echo "$LINE"
ENV STEP=exit
RUN exit 0
RUN echo never
ENV STEP=or
RUN echo start
RUN test -f /a || touch /a
ENV STEP=semicolon
RUN echo next
RUN echo one; echo two
ENV STEP=background
RUN sleep 100 &
RUN echo bg
ENV STEP=comment
RUN echo done # the end
RUN echo after
ENV STEP=suppressed
RUN echo before
# hadolint ignore=DL3008
RUN apt-get install -y curl
RUN echo x
ENV STEP=flags
RUN --network=none echo offline
RUN echo online
ENV STEP=user
RUN echo root
USER nobody
RUN echo nobody

FROM ubuntu:24.04
# /bin/sh becomes bash for the RUNs after this one: merged, dash would run
# the brace expansion
RUN ln -sf /bin/bash /bin/sh
RUN mkdir -p /opt/app/{logs,data}
