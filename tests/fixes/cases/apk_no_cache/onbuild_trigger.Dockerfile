FROM alpine:3.20 AS base
RUN apk update && apk add curl
# images built FROM this one add their own packages
ONBUILD RUN apk add bash

FROM alpine:3.20 AS parent
RUN apk update && apk add git

FROM parent AS child
onbuild run apk info -a git > /git.txt

FROM alpine:3.20 AS own_index
ONBUILD RUN apk add --no-cache bash
RUN apk update && apk add jq
