FROM alpine:3.20 AS one
from alpine:3.20 AS two
from alpine:3.20 as three
RUN echo upper
COPY --from=one /a /a
