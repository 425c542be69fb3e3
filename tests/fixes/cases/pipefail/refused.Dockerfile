FROM myorg/base:1.0
RUN curl -fsSL https://example.com/x | sh
FROM gcr.io/distroless/base-debian12
RUN cat /etc/os-release | head -1
FROM ubuntu:22.04
RUN curl -fsSL https://example.com/x | sh
RUN echo -e "a\tb" > /etc/x
FROM ubuntu:22.04
RUN for f in /usr/lib/*.so; do ldd "$f"; done | awk '{print $3}' | sort -u > /libs
FROM ubuntu:22.04
RUN LATEST=`curl -s https://example.com/releases | grep tag_name | head -n 1` && echo "$LATEST"
FROM ubuntu:22.04 AS with-triggers
RUN curl -fsSL https://example.com/x | sh
ONBUILD RUN echo hi
FROM python:${PYTHON_VERSION}
RUN pip freeze | tee /freeze.txt
CMD ["app"]
