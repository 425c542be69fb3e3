FROM golang:1.22
ENV GOPATH=/go \
    PATH="${PATH}:/usr/local/go/bin" \
    CGO_ENABLED=0
