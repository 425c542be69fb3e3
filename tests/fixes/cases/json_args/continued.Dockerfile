FROM alpine
CMD python \
    -m app \
    --debug
FROM alpine
CMD a \
  # why
  b
