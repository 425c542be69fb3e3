FROM example.com/web AS web
WORKDIR usr/share/nginx/html
WORKDIR $HOME/site

FROM scratch
ARG DIR=app
WORKDIR $DIR
WORKDIR sub

FROM alpine
WORKDIR /opt/
ENV V=$HOME
WORKDIR $V/x
