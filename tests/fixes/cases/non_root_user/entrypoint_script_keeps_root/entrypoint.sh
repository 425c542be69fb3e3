#!/bin/sh
# no step down here: the application is started as whoever runs the image
set -e
exec "$@"
