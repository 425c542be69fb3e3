FROM golang:1.23 AS Builder
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/go-build,from=Builder,source=/tmp go build -o /app .

FROM node:22 AS Node
COPY --from=BUILDER /src/go.mod /tmp/
RUN --mount=type=bind,from=builder,target=/b ls /b

FROM alpine:3.20
COPY --from=Builder /app /app
COPY --from=Node /dist /srv
COPY --from=Later /x /x
RUN --mount=from=Later,target=/l true

FROM alpine:3.20 AS Later
RUN touch /x
