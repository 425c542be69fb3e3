# A RUN that pipefail would fail on a normal answer gets pipefail too, with
# the writers at fault guarded ({ … || true; }): their status stays unused,
# as it was, and every other stage of its pipes gains pipefail.
FROM debian:12 AS first-risky
RUN find /usr/local -type f -exec ldd '{}' + | awk '/=>/ { print $(NF-1) }' | sort -u
RUN curl -fsSL https://example.com/a.tgz | tar -xz -C /opt
RUN echo done

FROM ubuntu:24.04 AS between
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/k.gpg
# hadolint ignore=DL3008
RUN dpkg -l | grep -q curl || apt-get install -y curl
RUN wget -qO- https://example.com/b.tgz | tar -xz -C /opt
RUN wget -qO- https://example.com/c.tgz | tar -xz -C /opt
RUN echo "$(pip list | awk '/numpy/ { print $2; exit }')" > /numpy-version
RUN ls /opt/*.so | head -1 > /first-lib

FROM debian:12 AS own-shell
SHELL ["/bin/bash", "-c"]
RUN yes | apt-get install -y curl
RUN curl -fsSL https://example.com/d.tgz | tar -xz -C /opt

FROM alpine:3.20
SHELL ["/bin/ash", "-c"]
RUN wget -qO- https://example.com/e.tgz | tar -xz -C /opt
RUN apk info | grep -q curl
CMD ["app"]
