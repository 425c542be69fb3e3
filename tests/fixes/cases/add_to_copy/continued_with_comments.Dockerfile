FROM debian:12
Add --chown=1000:1000 \
    # the application
    app.py \
    # its settings
    settings.toml \
    /srv/app/
add --link static/ /srv/static/
