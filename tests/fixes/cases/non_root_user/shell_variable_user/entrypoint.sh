#!/bin/sh
# autossh keeps the tunnel up
exec autossh -M 0 -N "$@"
