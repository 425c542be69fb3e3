FROM opensuse/leap:15.6
RUN zypper --non-interactive install curl gzip && zypper clean --all
RUN curl -fsSL https://example.com/tool.gz | gunzip > /usr/local/bin/tool \
    && chmod +x /usr/local/bin/tool
ENTRYPOINT ["/usr/local/bin/tool"]
