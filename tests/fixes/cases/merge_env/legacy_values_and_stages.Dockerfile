FROM alpine
ENV GREETING hello world
ENV QUOTED "it's"
ENV PLAIN value
ENV X=1
FROM alpine AS second
ENV Y=2
