FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 \
    && rm -rf /var/lib/apt/lists/*
# dockfix: ignore=DF009
USER root
CMD ["ip", "monitor"]