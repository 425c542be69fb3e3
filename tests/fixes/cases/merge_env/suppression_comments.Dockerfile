FROM alpine
ENV A=1
# hadolint ignore=DL3044
ENV B=2
ENV C=3
# check=skip=LegacyKeyValueFormat
ENV D 4
ENV E=5
