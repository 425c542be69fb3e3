FROM debian:bookworm-slim
ENV SCREEN_HEIGHT 600 \
    SCREEN_WIDTH 1200
ENV BUILD_DEPS build-essential cmake \
    libssl-dev
ENV JAVA_OPTS -Xmx1g \
    -Dfile.encoding=UTF-8
CMD ["true"]
