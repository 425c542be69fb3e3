FROM alpine:3.20
RUN apk add --no-cache su-exec tzdata
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
CMD ["server"]
