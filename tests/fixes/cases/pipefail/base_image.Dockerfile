FROM debian:12
# a base image (no CMD): the shell is set back after its last piped RUN,
# so the images built FROM it keep /bin/sh
RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg
