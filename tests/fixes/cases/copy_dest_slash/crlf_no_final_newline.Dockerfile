FROM alpine:3.20
WORKDIR /opt
copy a b /opt
COPY a b /etc/app