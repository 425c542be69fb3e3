# A `mkdir` of another folder before the cd is a command of its own, not
# the `mkdir -p DIR` of the folder the cd enters: the WORKDIR to the copied
# source goes above the RUN, which keeps its mkdir.
FROM alpine:3.20 AS builder
RUN apk --no-cache add make gcc libc-dev
COPY . /src
RUN mkdir /pkg && cd /src && make && make DESTDIR=/pkg install

FROM alpine:3.20 AS other
COPY . /src
RUN mkdir -p /pkg && cd /src && make DESTDIR=/pkg install
# /build is not known to exist before the RUN, but no package makes it (a
# folder of the build's own): the WORKDIR goes above this RUN too (where
# /build was missing, the old cd failed)
RUN mkdir -p /pkg && cd /build && make DESTDIR=/pkg install

FROM alpine:3.20
COPY --from=builder /pkg /
COPY --from=other /pkg /
CMD ["/usr/local/bin/app"]
