FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl gnupg
# the repository's key
# hadolint ignore=DL3008
RUN curl -fsSL https://packages.example.com/key.asc \
    # keep it as a keyring
    | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN echo "deb [signed-by=/usr/share/keyrings/example.gpg] https://packages.example.com stable main" \
    | tee /etc/apt/sources.list.d/example.list
CMD ["bash"]
