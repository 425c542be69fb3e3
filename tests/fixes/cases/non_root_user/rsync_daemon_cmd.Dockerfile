FROM alpine:3.20
RUN apk add --no-cache rsync
CMD ["rsync", "--daemon", "--no-detach"]
