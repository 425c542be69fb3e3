FROM alpine:3.20
ENV BROKEN it's open
ENV MULTI 'a' \
    b
ENV BAD ${NAME
ONBUILD ENV TRIGGER kept as written
# check=skip=LegacyKeyValueFormat
ENV SKIPPED by a pragma
# hadolint ignore=DL3000
ENV NOT_SKIPPED other rule
