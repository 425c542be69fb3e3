FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends kamailio && rm -rf /var/lib/apt/lists/*
CMD ["kamailio", "-DD", "-E", "-u", "kamailio"]
