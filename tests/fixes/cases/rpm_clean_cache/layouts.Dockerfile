FROM fedora:40
RUN dnf install -y \
        gcc \
        make \
    && echo built
RUN dnf install -y gcc && \
    # the compiler, then the headers
    dnf install -y kernel-headers
RUN set -eux; \
    dnf install -y git; \
    git --version
run if [ -f /etc/fedora-release ]; then dnf install -y curl; fi
RUN dnf install -y a || true
