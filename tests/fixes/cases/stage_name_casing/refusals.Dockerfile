FROM node AS Node
RUN npm ci

FROM alpine:3.20 AS Dup
FROM alpine:3.20 AS dup

FROM alpine:3.20 AS Scratch

FROM alpine:3.20 AS Quoted
FROM alpine:3.20
COPY --from="Quoted" /x /x

FROM alpine:3.20 AS Base
FROM Base
RUN echo "FROM Base names an image: the build fails here"
ONBUILD COPY --from=Base /x /x
