FROM debian:12
# set -e scripts of ;-separated commands end with ; rm -rf (errexit stops as && would)
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends curl; \
	curl --version
RUN set -eux; apt-get update; apt-get install -y curl
RUN apt-get update; apt-get install -y wget
