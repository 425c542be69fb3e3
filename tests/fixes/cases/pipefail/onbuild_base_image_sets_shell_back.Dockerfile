FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/install.sh | sh
COPY app /usr/local/bin/app
ONBUILD COPY config.toml /etc/app/
CMD ["app", "serve"]
