FROM php:8.3-fpm-alpine AS app
RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"
COPY php.ini $PHP_INI_DIR/conf.d/app.ini
LABEL php.version=$PHP_VERSION

FROM app AS dev
COPY xdebug.ini $PHP_INI_DIR/conf.d/

FROM postgres:16
COPY init.sql $PGDATA/../init.sql
ENV PHP_INI_DIR_COPY=$PHP_INI_DIR
