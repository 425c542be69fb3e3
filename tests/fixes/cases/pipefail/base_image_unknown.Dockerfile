# ... or an unknown base image, whose own shell is not known
FROM myorg/toolchain:1
RUN apt-get update && apt-get install -y curl
RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg
