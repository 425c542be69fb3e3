FROM myorg/base:1.0 AS key-first
# The key comes first; apt-get, in the next RUN, shows what the image is.
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg
RUN apt-get update && apt-get install -y x

FROM myorg/other:1.0 AS new-root-between
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt
COPY --from=myorg/rootfs:1 / /
RUN apt-get update

FROM myorg/third:1.0 AS bash-later
# bash installed after the pipe: not there before it
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt
RUN apk add --no-cache bash
CMD ["app"]
