FROM scratch
# hadolint ignore=DL3000
WORKDIR app
WORKDIR lib
