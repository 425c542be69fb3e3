ARG DEBIAN_VERSION
# the tag is a build argument: debian sets no WORKDIR for any tag
FROM debian:${DEBIAN_VERSION} AS versioned
WORKDIR fuse
RUN make
