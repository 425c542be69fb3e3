FROM alpine
CMD run --port $PORT
ENTRYPOINT ["tini", "--"]
cmd a && b