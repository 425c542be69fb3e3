FROM --platform=$BUILDPLATFORM golang:1.23 AS build
RUN go build -o /app .

FROM --platform=$TARGETPLATFORM alpine:3.20 AS runtime
COPY --from=build /app /app

FROM --platform=${TARGETPLATFORM} alpine:3.20
FROM --platform="$TARGETPLATFORM" alpine:3.20
FROM --platform=linux/amd64 alpine:3.20
FROM --platform=$TARGETOS/$TARGETARCH alpine:3.20
