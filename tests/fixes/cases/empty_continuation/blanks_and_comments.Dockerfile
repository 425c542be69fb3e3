FROM debian:bookworm-slim
RUN apt-get update && \

    apt-get install -y --no-install-recommends curl \
    	
# a comment stays

    && rm -rf /var/lib/apt/lists/*
COPY . /app
