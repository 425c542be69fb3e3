FROM debian:12 AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl
# the images built FROM this one install their own packages from these lists
ONBUILD RUN apt-get install -y --no-install-recommends git

FROM debian:12 AS parent
RUN apt-get update && apt-get install -y --no-install-recommends make

FROM parent AS child
onbuild run apt-get install -y --no-install-recommends gcc

FROM debian:12 AS own_update
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends vim
RUN apt-get update && apt-get install -y --no-install-recommends jq
