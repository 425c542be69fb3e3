FROM myorg/base:1
RUN set -eux; \
    wget \
        -O /tmp/tool.tgz \
        https://example.com/tool.tgz; \
    # unpack it
    tar -xzf /tmp/tool.tgz
RUN ["wget", "https://example.com/x"]
RUN <<EOF
wget https://example.com/y
EOF
RUN echo "wget https://example.com/z" && curl -fsSL https://example.com/w
