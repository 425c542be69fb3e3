FROM ubuntu:24.04
RUN cd /tmp && curl -fsSLO https://example.com/a.deb && dpkg -i a.deb
COPY app.conf etc/
RUN mkdir -p /opt/x && cd /opt/x && make
WORKDIR sub
RUN ls
# golang's images end with WORKDIR /go: the folder put back
FROM golang:1.22
RUN cd /src && go build ./...
COPY . .
