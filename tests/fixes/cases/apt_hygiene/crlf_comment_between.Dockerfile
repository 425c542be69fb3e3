FROM debian
RUN apt-get update
# tools
RUN apt-get install -y curl