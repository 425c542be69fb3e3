FROM ubuntu:22.04
# an update with an upgrade: its lists go, as each install updates again
RUN apt-get -y update && apt-get -y upgrade
RUN apt-get install -y --no-install-recommends openjdk-17-jre

FROM ubuntu:22.04 AS kept
# a later apt-cache reads these lists: they stay
RUN apt update \
    && apt upgrade -y
RUN apt-cache policy curl

FROM ubuntu:22.04 AS lone
# a lone update goes into the install below it instead
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
