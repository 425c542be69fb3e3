# The debug builds of nginx and OpenResty start as root and drop privileges
# like the plain ones: the image is made to run as root, no USER is added.
FROM debian:bookworm-slim AS openresty_debug
RUN apt-get update \
    && apt-get install -y --no-install-recommends openresty-debug \
    && rm -rf /var/lib/apt/lists/*
COPY nginx.conf /usr/local/openresty-debug/nginx/conf/nginx.conf
CMD ["/usr/bin/openresty-debug", "-g", "daemon off;"]

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*
CMD ["nginx-debug", "-g", "daemon off;"]
