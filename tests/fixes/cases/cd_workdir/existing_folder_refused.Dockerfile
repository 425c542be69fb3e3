FROM debian:12 AS build
COPY . /src
USER app
# refused: not root (the cd could fail on the folder's permissions)
RUN cd /src; make
RUN make -C /src && cd /src

FROM example/base:1 AS other
WORKDIR /w
# refused: an image whose folders are not known, a RUN between that may
# remove the folder
RUN cd /tmp; make
COPY . /src
RUN find /src -name '*.o' -exec rm -f {} +
RUN cd /src; make
