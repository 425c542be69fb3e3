FROM python:3.12-slim AS base
# python sets no WORKDIR: the stage starts in /
workdir app
COPY . .

FROM base AS test
WORKDIR tests

# golang sets WORKDIR /go: reported only
FROM golang:1.22 AS go
WORKDIR src

FROM myorg/python:3.12
WORKDIR app
