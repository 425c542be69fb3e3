# The same with CRLF line endings.
FROM ubuntu:22.04
COPY . /src
RUN cd /src && \
    # build it
    make && \
    make install
CMD ["app"]
