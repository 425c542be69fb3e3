#!/bin/sh
# behind nginx: trust its headers
cat /etc/nginx/upstream.conf 2>/dev/null || true
exec gunicorn --forwarded-allow-ips="*" app:app
