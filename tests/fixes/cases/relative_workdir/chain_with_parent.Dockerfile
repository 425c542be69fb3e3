FROM debian:12
# relative to the folder before it, which is relative to the image's `/`
WORKDIR app
WORKDIR ../srv
CMD ["/srv/run"]
