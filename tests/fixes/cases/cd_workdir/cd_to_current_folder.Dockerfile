FROM debian:12 AS base
ENV APP=/var/www/app
WORKDIR /var/www/app

FROM base AS test
USER nobody
# the RUN is in /var/www/app already: the cd goes (after a USER too)
RUN cd /var/www/app && \
    make test
run cd $APP && make lint || true
RUN cd . && make docs
# $PWD would read the path as cd wrote it: left as it is
RUN cd /var/www/app && echo "$PWD"
CMD ["make"]
