# The commands before the cd do the same in its folder: the WORKDIR goes
# above the whole RUN, and the comment lines after the cd stay where they
# are, above the commands they describe.
FROM debian:12
RUN set -eux; \
    curl -fsSL -o /tmp/app.tar.bz2 https://example.com/app.tar.bz2; \
    mkdir -p /usr/src/app; \
    tar --extract --file /tmp/app.tar.bz2 --directory /usr/src/app --strip-components 1; \
    cd /usr/src/app; \
    \
# build without the docs
    ./configure --disable-docs; \
    make install; \
    rm /tmp/app.tar.bz2
RUN set -ex \
    && wget -qO- https://example.com/tool.tgz | tar xz --strip-components 1 -C /opt \
    && cd /opt \
    # fix a typo upstream
    && sed -i 's|colour|color|' bin/tool.py
