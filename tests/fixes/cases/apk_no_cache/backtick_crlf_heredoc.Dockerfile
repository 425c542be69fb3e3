# escape=`
FROM alpine:3.20
RUN apk update && `
    apk add curl
RUN <<EOF
apk update
apk add git
EOF
RUN ["apk", "add", "bash"]
