FROM debian:12
# a base image (no CMD): its SHELL would pass to every image built FROM it
RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg
