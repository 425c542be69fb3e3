FROM debian:12
run apt-get update && apt-get install -y --no-install-recommends curl
RUN ./setup.sh \
    # the project's own script
    && make
