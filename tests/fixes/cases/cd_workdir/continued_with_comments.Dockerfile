FROM debian:12
WORKDIR /work
# configure and build
RUN cd /usr/local/src/app \
    && ./configure \
    # quiet, in parallel
    && make -j4 \
    && make install
