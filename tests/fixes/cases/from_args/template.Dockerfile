FROM php:{{ env.variant }}
FROM alpine:$X AS a
