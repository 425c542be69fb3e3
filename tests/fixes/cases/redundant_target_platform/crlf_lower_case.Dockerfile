from --platform=$TARGETPLATFORM alpine:3.20 as base
run echo ok
from base