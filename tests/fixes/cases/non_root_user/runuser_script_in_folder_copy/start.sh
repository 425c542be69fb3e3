#!/bin/bash
mkdir -p /app/run && chown app /app/run
exec runuser -u app -- python -m service
