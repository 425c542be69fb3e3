FROM golang:1.22

WORKDIR /src

RUN go version | tee /version.txt

RUN go build ./...
CMD ["app"]
