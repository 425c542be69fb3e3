from alpine:3.20
shell ["/bin/ash", "-e", "-c"]
cmd app --serve
entrypoint app > /log \
  2>&1