FROM alpine:3.20
# the update serves an install inside an if: the `if` must stay
RUN set -ex; \
    apk update; \
    if [ -n "$WITH_PY" ]; then \
        apk add py3; \
    fi
