FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends isolate && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# Keep running as root: the sandbox needs root privileges for its cgroups
CMD ["./judge"]
