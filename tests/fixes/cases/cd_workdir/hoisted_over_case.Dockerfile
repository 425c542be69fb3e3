# A `case` statement before the cd: its word and patterns run nothing, and
# each branch only sets variables, prints or fails the build, so it does the
# same in the new folder. A URL set in every branch is a URL either way.
FROM debian:12
ARG TOOL_VERSION=1.4.2
RUN set -eux; \
    arch="$(dpkg --print-architecture)"; \
    gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
    case "$arch" in \
        amd64) url="https://example.com/tool-${TOOL_VERSION}-x64.tar.gz" ;; \
        arm64|aarch64) url="https://example.com/tool-${TOOL_VERSION}-arm64.tar.gz" ;; \
        *) echo >&2 "unsupported architecture: $arch"; exit 1 ;; \
    esac; \
    curl -fsSLo /tmp/tool.tar.gz "$url"; \
    mkdir -p /opt/tool; \
    cd /opt/tool; \
    tar -xzf /tmp/tool.tar.gz --strip-components=1; \
    ./configure --build="$gnuArch"; \
    rm /tmp/tool.tar.gz

# Two cds: the first becomes a WORKDIR, which the second one's replaces
# (/tmp exists already, so the first made nothing).
RUN set -eux; \
    case "$(uname -m)" in \
        x86_64) echo "64-bit" ;; \
    esac; \
    cd /tmp; \
    curl -fsSLo /tmp/lint.zip https://example.com/lint.zip; \
    mkdir -p /opt/lint; \
    cd /opt/lint; \
    unzip /tmp/lint.zip

# A branch that runs a command reading the folder: left alone.
RUN set -eux; \
    case "$(uname -m)" in \
        x86_64) ./prepare.sh ;; \
    esac; \
    cd /opt/tool; \
    make

# `exit 0` ends the RUN without the cd, and a WORKDIR would have made the
# folder: left alone.
RUN set -eux; \
    case "$(uname -m)" in \
        riscv64) exit 0 ;; \
    esac; \
    mkdir -p /opt/extra; \
    cd /opt/extra; \
    make
