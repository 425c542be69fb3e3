FROM alpine:3.20
env APP_HOME /srv/app
env GREETING hello world
label version 1.0
run echo ok
env LAST no final newline