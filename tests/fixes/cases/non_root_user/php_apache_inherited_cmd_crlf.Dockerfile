from php:8.3-apache
copy src/ /var/www/html/
run docker-php-ext-install pdo_mysql \
    # the extensions the app needs
    && a2enmod rewrite