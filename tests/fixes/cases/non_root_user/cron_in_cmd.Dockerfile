FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends cron \
    && rm -rf /var/lib/apt/lists/*
COPY crontab /etc/cron.d/app
CMD ["cron", "-f"]
