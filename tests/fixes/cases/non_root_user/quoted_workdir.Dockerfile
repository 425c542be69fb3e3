FROM debian:12
ADD ["https://example.org/tool.tar.gz", "/workspace/"]
RUN tar xzf /workspace/tool.tar.gz -C /workspace
# a quoted WORKDIR: the same folder as /workspace
WORKDIR "/workspace"
ENTRYPOINT ["/workspace/tool"]
