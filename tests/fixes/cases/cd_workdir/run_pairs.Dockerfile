FROM debian:12
WORKDIR /w
RUN apt-get update
RUN make && cd /
RUN ls
RUN a
RUN git pull && cd /x && make
RUN b
RUN cd /w && c
