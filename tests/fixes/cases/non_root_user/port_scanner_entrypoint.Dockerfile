FROM golang:1.23-alpine AS build
RUN apk add --no-cache build-base libpcap-dev
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 go build -o /out/naabu ./cmd/naabu

FROM alpine:3.20
RUN apk add --no-cache libpcap nmap
COPY --from=build /out/naabu /usr/local/bin/
ENTRYPOINT ["naabu"]
