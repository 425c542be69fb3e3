#!/bin/sh
set -e
[ -f /etc/chrony/chrony.conf ] || echo "pool pool.ntp.org iburst" > /etc/chrony/chrony.conf
exec chronyd -d -x
