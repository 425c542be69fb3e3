FROM debian:bookworm
RUN useradd -u 123456789 app
RUN useradd -m -u 1000 small
RUN useradd --uid=2000000 -m big && useradd --uid 3000000 big2
RUN useradd -mu 400000 combined && useradd -u500000 glued
RUN useradd -l -u 600000 done && useradd --no-log-init -u 700000 done2
RUN useradd -u "$UID" -g "$GID" builder
RUN groupadd -g 900000 g && useradd -g 900000 nouid
run /usr/sbin/useradd -u 800000 pathed
RUN adduser -D -u 900000 busybox
# hadolint ignore=DL3046
RUN useradd -u 123456789 ignored
