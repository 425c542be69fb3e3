# A variable in double quotes names the same folder; `${NAME%suffix}` with a
# literal suffix too, written out in the WORKDIR (the shell trims it; the
# WORKDIR gets the folder itself).
FROM php:8.3-fpm
ENV PHP_INI_DIR=/usr/local/etc/php \
    APP_HOME=/srv/app
RUN set -eux; \
	cd "${PHP_INI_DIR%/php}"; \
	cp -v php-fpm.conf.default php-fpm.conf
RUN set -eux; cd "$APP_HOME"; composer install
RUN set -eux; cd "${APP_HOME#/srv}"; ls
# refused: a glob in the pattern, a quoted word with a command substitution
RUN set -eux; cd "${PHP_INI_DIR%/*}"; ls
RUN set -eux; cd "$(dirname "$PHP_INI_DIR")"; ls
CMD ["php-fpm"]
