#!/bin/bash
[ -f /etc/kubernetes/proxy ] && source /etc/kubernetes/proxy
exec /usr/bin/kube-proxy $KUBE_PROXY_ARGS "$@"
