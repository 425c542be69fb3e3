# escape=`
from alpine:3.20
run apk add --no-cache curl `
    # keep what curl links to
    && apk add --no-network --virtual .rundeps so:libcurl.so.4
RUN <<EOF
apk add --no-network --virtual .more so:libz.so.1
EOF