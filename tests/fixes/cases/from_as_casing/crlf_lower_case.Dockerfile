from alpine:3.20 AS build
run echo one
from alpine:3.20 as final
COPY --from=build /x /x