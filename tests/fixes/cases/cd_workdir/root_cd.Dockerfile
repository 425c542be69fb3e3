FROM debian:12
RUN apt-get update && apt-get install -y curl && cd / && rm -rf /var/lib/apt/lists/*
RUN ./build.sh \
    && cd / \
    && rm -rf /tmp/build /root/.cache \
    && apt-get purge -y --auto-remove gcc
RUN make install && cd /; rm -rf /tmp/src
RUN set -eux; make; cd /; rm -rf /usr/src/app; chown -R app:app /srv
RUN make && cd /
WORKDIR /app
RUN cd /tmp && curl -fsSLO https://example.com/x.tgz && tar -xzf x.tgz && cp x/bin /usr/local/bin/ && cd / && rm -rf /tmp/x /tmp/x.tgz
# the cd / stays (or becomes a WORKDIR): what follows reads the folder, an operator changes what runs
RUN make && cd / && rm -rf $SRC_DIR
RUN make && cd / && rm -rf build
RUN make && cd / && rm -rf ~/.cache
RUN make && cd / && ls
RUN make; cd /
RUN make || cd / && rm -rf /tmp/x
RUN cd / | cat
RUN make && cd / && if true; then rm -rf /x; fi
RUN make && cd / && echo "$PWD"
RUN make && cd / && \
    # cleanup
    rm -rf /tmp/x
