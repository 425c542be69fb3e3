#!/bin/sh
apt-get install -y --no-install-recommends jq
