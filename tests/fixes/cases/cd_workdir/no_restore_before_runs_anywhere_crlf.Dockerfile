# A RUN that does the same in any folder reads no working directory: the
# folder is put back only before what reads it (here the relative COPY).
FROM ubuntu:24.04
RUN mkdir -p /tmp/lib && curl -fsSL https://example.com/lib.tgz | tar -xz -C /tmp/lib
RUN cd /tmp/lib && ./configure && make install
RUN mkdir -p /tmp/tool && git clone --depth 1 https://example.com/tool.git /tmp/tool
RUN cd /tmp/tool && make install
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
COPY app.conf conf/
# A RUN that removes the folder: the next one would run where it is gone.
RUN cd /tmp/x && make && rm -rf /tmp/x
RUN echo "## done" && mkdir -p /opt/y
COPY b.conf conf/
