FROM ubuntu:24.04
run set -eux; apt-get update; apt-get install -y make; \
    mkdir -p /src; \
    cd /src; \
    make; rm -rf obj
CMD ["make"]