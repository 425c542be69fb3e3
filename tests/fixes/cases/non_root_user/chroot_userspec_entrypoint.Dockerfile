FROM debian:bookworm
COPY app /srv/app
ENTRYPOINT ["chroot", "--userspec=1000:1000", "/", "/srv/app"]
