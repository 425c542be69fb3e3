#!/bin/bash
# Configure from the environment, then run what the image built FROM this one asks
for f in /etc/hadoop/*.xml; do envsubst < "$f" > "$f.tmp" && mv "$f.tmp" "$f"; done
exec "$@"
