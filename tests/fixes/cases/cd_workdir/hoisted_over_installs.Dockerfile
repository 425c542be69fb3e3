# Package installs by name before the cd do the same in the new folder: the
# WORKDIR goes above the whole RUN, which keeps its layer (a split would
# leave what the RUN removes at its end in the first layer).
FROM alpine:3.20
ENV BUILD_DEPS="gcc make"
RUN set -eux; \
	\
	apk add --no-cache --virtual .fetch-deps gnupg $BUILD_DEPS; \
	\
	mkdir -p /usr/src; \
	cd /usr/src; \
	\
	wget -O app.tar.gz "https://example.com/app.tar.gz"; \
	tar -xzf app.tar.gz; \
	rm app.tar.gz; \
	apk del --no-network .fetch-deps
COPY entrypoint.sh /usr/local/bin/
# refused: a variable the file does not define, a glob the shell would match
# against the folder's files, a write to the folder before the cd, a folder
# a package may make (no mkdir: it existed, or the install made it)
ARG EXTRA
RUN set -eux; apk add --no-cache $EXTRA; mkdir -p /build; cd /build; make; rm -rf /build/obj
RUN set -eux; apk add --no-cache py3-*; mkdir -p /build; cd /build; make; rm -rf /build/obj
RUN set -eux; wget -O /tmp/a.tgz https://example.com/a.tgz > log.txt; mkdir -p /build; cd /build; make; rm -rf obj
RUN set -eux; apk add --no-cache nginx; cd /etc/nginx; rm -f conf.d/default.conf
CMD ["app"]

FROM debian:12-slim
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates wget; \
	rm -rf /var/lib/apt/lists/*; \
	mkdir -p /usr/src/tool; \
	cd /usr/src/tool; \
	wget -O tool.tgz https://example.com/tool.tgz; \
	tar -xzf tool.tgz && ./install.sh; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark; \
	apt-get purge -y --auto-remove; \
	rm -rf /usr/src/tool
RUN apt-get update && apt-get install -y --no-install-recommends make \
    && mkdir -p /opt/src && cd /opt/src && make && rm -rf /opt/src/obj
RUN apt-get update && apt-get install -y --no-install-recommends make \
    && mkdir -p /work && cd /work && make && rm -rf obj
# refused: a removal of the folder (or one above it) before the cd
RUN set -e; rm -rf /srv/app; mkdir -p /srv/app; cd /srv/app; make; rm -rf obj
CMD ["tool"]
