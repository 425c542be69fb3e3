from alpine:3.20 AS build
run echo one
RUN echo two
run echo three
from alpine:3.20
COPY --from=build /x /x
cmd ["/x"]