from debian:bookworm
workdir /srv
copy app /srv/app
cmd su -s /bin/sh daemon \
    # as the daemon user
    -c 'exec /srv/app'
