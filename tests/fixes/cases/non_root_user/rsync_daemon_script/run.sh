#!/bin/sh
chmod 600 /etc/rsyncd.secrets
rsync --daemon --no-detach --config=/etc/rsyncd.conf
