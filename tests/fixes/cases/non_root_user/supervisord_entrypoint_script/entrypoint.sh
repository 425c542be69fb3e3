#!/bin/sh
set -e
python3 /app/migrate.py
exec /usr/bin/supervisord -n -c /etc/supervisor/supervisord.conf
