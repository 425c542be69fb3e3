# A clone into the folder of the cd, or a download and an extraction to
# absolute paths, keep their RUN whole, under a WORKDIR above it
# (`/usr/src/app`, `/s`, `$SRC`); the other commands before a cd keep a RUN
# of their own.
FROM debian:12
WORKDIR /app
RUN git clone https://example.com/app.git /usr/src/app && cd /usr/src/app && make install
ENV SRC=/usr/src/lib
RUN curl -fsSL https://example.com/lib.tar.gz | tar -xz -C /usr/src \
    && cd $SRC \
    && ./configure \
    && make install
RUN --mount=type=cache,target=/root/.cache pip download -d /wheels x && cd /wheels && pip install x
RUN apt-get update && mkdir -p /opt/tool && cd /opt/tool && curl -fsSLO https://example.com/tool
EXPOSE 80
RUN git clone https://example.com/s.git /s && cd /s && git submodule update --init
# refused: files the rest removes, an operator of its own
RUN fetch-src /opt && cd /opt/a && make install && rm -rf /opt/a
RUN make -C /x && cd /y && make || true
RUN fetch-src / && cd /z && make && make clean
RUN fetch-debs /tmp && cd /tmp && apt-get -y purge old-package
RUN fetch-src / && cd /y && find . -name "*.orig" | xargs rm -f
RUN fetch-src / && cd /w && git checkout v1.2
COPY . .
