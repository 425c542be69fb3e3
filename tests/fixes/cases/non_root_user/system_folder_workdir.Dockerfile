FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/apiserver ./cmd/apiserver

FROM debian:12-slim
# the binary goes to /bin: /bin is not the application's to own
WORKDIR /bin
COPY --from=builder /out/apiserver /bin/apiserver
CMD ["/bin/apiserver"]
