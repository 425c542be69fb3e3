FROM debian:12
# . and trailing slashes: BuildKit cleans the joined path
WORKDIR ./app
COPY x y/
FROM alpine:3.20 AS two
WORKDIR app/
RUN make
FROM busybox AS three
WORKDIR .
COPY x y/
FROM python:3.12 AS four
# .. climbs out of a folder the file does not show: left alone
WORKDIR ../srv
