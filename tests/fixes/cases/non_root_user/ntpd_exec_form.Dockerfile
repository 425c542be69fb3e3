FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openntpd \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /etc/openntpd
COPY ntpd.conf .
# Needs CAP_SYS_TIME: run with --cap-add SYS_TIME
ENTRYPOINT ["/usr/sbin/ntpd", "-d", "-v"]
