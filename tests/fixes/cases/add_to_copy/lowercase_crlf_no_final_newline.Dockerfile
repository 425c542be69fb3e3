FROM debian:12
add app.py /srv/
add \
    conf.ini \
    /etc/
add site.tar.gz /var/www