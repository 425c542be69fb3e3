FROM alpine:3.20 AS scripted
RUN apk update && apk add curl
COPY install.sh /usr/local/lib/
RUN sh /usr/local/lib/install.sh

FROM alpine:3.20 AS relative
WORKDIR /src
RUN apk update && apk add make
COPY . .
RUN ./configure && make

FROM alpine:3.20 AS system_tools
RUN apk update && apk add git
RUN /bin/busybox --list > /tools.txt && /usr/bin/env git --version
