FROM alpine:3.20
RUN apk add --no-cache autossh \
 && USER=autossh; adduser -D -u 1000 ${USER}
WORKDIR /home/autossh
COPY entrypoint.sh .
ENTRYPOINT ["./entrypoint.sh"]
