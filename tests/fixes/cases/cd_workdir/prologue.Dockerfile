FROM debian:12
WORKDIR /moby
RUN set -eux; \
	mkdir cli; \
	cd cli; \
	wget -O /tmp/cli.tgz https://example.com/cli.tgz; \
	tar -xf /tmp/cli.tgz; \
	rm /tmp/cli.tgz
RUN set -eux; \
	cd cli; \
	for f in *.go; do gofmt -l "$f"; done; \
# build it
	make
RUN set -ex && mkdir /tmp/deb && cd /tmp/deb && wget https://example.com/a.deb && dpkg -i a.deb
RUN set -o errexit; cd /srv; make
RUN <<EOF
set -e
cd /srv
make
EOF
# refused: no set -e, a mkdir or cd tied by && to a ;, a command after a failed cd
RUN set -x; cd /www; make
RUN set -eux; mkdir a && cd a; make
RUN set -e && cd /www && make; make check
RUN set -eux; cd /www && make
RUN set +e -x; cd /www; make
RUN set -e; cd /www; make; cd /; ls
COPY . .
