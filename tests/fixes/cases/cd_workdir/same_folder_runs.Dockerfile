FROM python:3.12
WORKDIR /tmp
RUN cd /tmp && make
RUN curl -fsSLO https://example.com/a.tgz && cd /tmp && make
RUN cd /tmp && make check
FROM python:3.12 AS two
WORKDIR /srv
RUN cd /srv && ./a
RUN cd /srv && ./b
