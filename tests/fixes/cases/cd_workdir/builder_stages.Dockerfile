FROM myorg/go-builder:1.22 AS build
RUN cd /src && go build -o /out/app .
LABEL stage=build

FROM build AS test
RUN cd /src && go test ./...

FROM alpine:3.20 AS tools
RUN cd /opt && wget https://example.com/tool
RUN echo done

FROM scratch
COPY --from=build /out/app /app
COPY --from=tools /opt/tool /tool
