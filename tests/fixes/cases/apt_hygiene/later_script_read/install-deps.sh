#!/bin/sh
set -eu
apt-get install -y --no-install-recommends jq
