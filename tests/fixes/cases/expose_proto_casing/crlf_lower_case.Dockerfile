from alpine:3.20
expose 80/TCP \
# a comment inside the continuation
    443/UDP