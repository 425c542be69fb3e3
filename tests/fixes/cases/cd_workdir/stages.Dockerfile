FROM golang:1.22 AS build
WORKDIR /src
COPY . .
FROM build AS test
RUN cd cmd/server && go test ./...
FROM scratch
COPY --from=build /src/server /server
RUN cd /data && ls
