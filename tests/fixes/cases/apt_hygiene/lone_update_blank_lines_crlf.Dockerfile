FROM debian:bookworm
COPY start.sh /usr/local/sbin/
RUN chmod +x /usr/local/sbin/start.sh

RUN apt-get update

# tools
RUN apt-get install -y --no-install-recommends procps

RUN apt-get update


RUN apt-get install -y --no-install-recommends curl
