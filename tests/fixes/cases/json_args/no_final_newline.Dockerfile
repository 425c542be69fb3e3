FROM alpine
ENTRYPOINT ["tini", "--"]
Cmd app --serve