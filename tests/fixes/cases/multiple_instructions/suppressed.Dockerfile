FROM alpine
# hadolint ignore=DL4003
CMD ["a"]
# hadolint ignore=DL3025
CMD b
CMD ["c"]
