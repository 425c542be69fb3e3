#!/bin/sh
[ -r /var/run/docker.sock ] || exit 1
exec docker system prune --force
