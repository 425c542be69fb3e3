FROM debian:12
WORKDIR /w
RUN cd /a && a && cd /b && b && cd /c && c && cd /d && d
RUN cd /a && a && cd /b && b && cd /c && c && cd /d && d && cd /e && e
