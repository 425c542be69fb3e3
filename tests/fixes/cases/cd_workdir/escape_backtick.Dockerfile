# escape=`
FROM debian:12
WORKDIR /work
RUN cd /opt/app `
    && make
