FROM alpine
ONBUILD CMD ["a"]
ONBUILD CMD ["b"]
CMD --bad x
CMD ["c"]
HEALTHCHECK --bogus=1 CMD true
HEALTHCHECK foo
HEALTHCHECK NONE
HEALTHCHECK CMD true
FROM alpine AS invalid_health_checks
HEALTHCHECK CMD
HEALTHCHECK NONE extra
HEALTHCHECK --interval=500us CMD true
HEALTHCHECK --retries=-1 CMD true
HEALTHCHECK --timeout CMD true
HEALTHCHECK --interval=1m30s --retries=3 CMD ["true"]
HEALTHCHECK NONE
