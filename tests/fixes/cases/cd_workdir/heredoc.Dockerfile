FROM debian:12
WORKDIR /work
RUN <<EOF
cd /opt
make
EOF
RUN cd /opt && make
COPY <<EOF /etc/motd
cd /nowhere
EOF
