FROM debian:12
ARG UID
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
# under bash, UID is 0 for root whatever the build argument says
RUN useradd --create-home --uid "${UID:-1000}" dev
CMD ["dev-server"]
