FROM debian:12
WORKDIR /opt
# the COPY below writes to an absolute path: no WORKDIR /opt put back for it
RUN git clone https://example.org/y.git && cd y && make
COPY benchmark.py /opt/y/
WORKDIR /srv
CMD ["./y"]
