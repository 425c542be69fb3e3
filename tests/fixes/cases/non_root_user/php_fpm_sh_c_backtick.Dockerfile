# escape=`
FROM alpine:3.20
RUN apk add --no-cache php82-fpm `
    php82-pdo
WORKDIR /var/www
COPY . .
CMD ["sh", "-c", "php-fpm82 --nodaemonize"]
