FROM debian:12
# bash takes its long options first: -o pipefail goes right before -c
SHELL ["/bin/bash", "--login", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash
CMD ["app"]
