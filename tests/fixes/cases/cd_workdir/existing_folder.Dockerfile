FROM debian:12
WORKDIR /srv/app
COPY . /src
COPY app.conf /etc/app/app.conf
RUN mkdir -p /opt/tool && curl -fsSLo /opt/tool/tool.tgz https://example.com/tool.tgz
WORKDIR /
# the cd cannot fail: the folder exists, the RUN runs as root
RUN cd /src; npm install
RUN cd /srv/app && make || make -k
RUN cd /etc/app && { [ -e app.conf ] || touch app.conf; }
RUN cd /opt/tool; tar -xzf tool.tgz; ./install
RUN cd /usr/local/bin && for tool in a b; do ln -s /opt/tool/$tool $tool; done
EXPOSE 80
# a cd that ends the RUN goes where its folder exists then
RUN make -C /src install && cd /src
EXPOSE 81
RUN set -ex && make -C /src && cd /srv/app && make check && cd /src
EXPOSE 82
# refused: a folder not known to exist, removed, or made only by a
# command that may not have run
RUN cd /data; make
RUN rm -rf /opt/tool
RUN cd /opt/tool; make
RUN test -d /x || mkdir /x
RUN cd /x; make
RUN make -C /src install; cd /src
RUN make -C /src install && rm -rf /src && cd /src
