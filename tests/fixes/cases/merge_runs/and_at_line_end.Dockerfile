FROM alpine:3.20
RUN apk add --no-cache build-base && \
  make -C /src && \
  make -C /src install
RUN addgroup -S app
RUN adduser -S app -G app
