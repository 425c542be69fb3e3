#!/bin/sh
set -e
# hand the data folder to the service user, then drop root
chown -R 1000:1000 /data
exec setpriv --reuid=1000 --regid=1000 --init-groups "$@"
