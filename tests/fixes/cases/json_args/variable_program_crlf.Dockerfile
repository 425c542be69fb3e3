FROM registry.access.redhat.com/ubi9/s2i-core
CMD ${SCRIPTS}/run \
    --verbose
