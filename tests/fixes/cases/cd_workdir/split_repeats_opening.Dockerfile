FROM debian:12
WORKDIR /app
# set options and literal assignments that open the RUN: kept in front of
# the rest, or repeated in the RUN after the cd when the RUN is split
RUN export CFLAGS=-O2 && cd /usr/src/app && make
RUN set -ex && git pull && cd /usr/src/app && make
RUN set -eux \
    && export PREFIX="/opt/y" LANG=C.UTF-8 \
    && apt-get update \
    && apt-get install -y gcc \
    && cd /usr/src/y \
    && ./configure --prefix=$PREFIX
RUN JOBS=4 && make -C /usr/src/a -j$JOBS && cd /usr/src/b && make -j$JOBS
# refused: a value the shell expands, a variable one side does not read, a
# comment line in the part to repeat
RUN export CFLAGS="$(cat /flags)" && git pull && cd /usr/src/app && make
RUN NAME=x && git pull && cd /usr/src/app && make $NAME
RUN BIN=~/bin && git pull && cd /usr/src/app && make BIN=$BIN
RUN set -ex \
# trace
    && git pull \
    && cd /usr/src/app \
    && make
COPY . .
