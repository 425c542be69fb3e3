FROM alpine:3.20
RUN apk add --no-cache openjdk17-jre
ENV JAVA_HOME=/usr/lib/jvm/default-jvm
