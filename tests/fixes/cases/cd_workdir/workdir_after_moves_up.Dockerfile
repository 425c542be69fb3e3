FROM debian:bookworm AS build
WORKDIR /src
# the second cd goes back where the RUN started: one WORKDIR /src, not two
RUN curl -fsSL https://example.com/dep.tgz | tar -xz \
 && cd dep && ./configure && make && cd .. \
 && ./configure && make

FROM debian:bookworm AS written
# a WORKDIR to the same folder right after the RUN moves up
RUN cd /opt/tool && make
WORKDIR /opt/tool
COPY tool.toml .

FROM debian:bookworm AS pair
# moved up, it would leave two one-command RUNs side by side: it stays
RUN cd /opt/tool && make
WORKDIR /opt/tool
RUN make check

FROM debian:bookworm AS removes
# the commands after the cd may remove the folder: the WORKDIR after it
# makes it again, so it stays where it is
RUN cd /opt/tool && make && rm -rf /opt/tool
WORKDIR /opt/tool
RUN ls

FROM debian:bookworm AS commented
RUN cd /opt/tool && make
# the tool's folder
WORKDIR /opt/tool
CMD ["./tool"]
