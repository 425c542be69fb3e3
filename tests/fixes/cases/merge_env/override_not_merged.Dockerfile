FROM php:8.4-apache
ENV WEB_DOCUMENT_ROOT=/app \
    WEB_PHP_SOCKET=""
# an override of a key set above: not merged into it
ENV WEB_PHP_SOCKET=127.0.0.1:9000
ENV WEB_NO_CACHE_PATTERN="x"
