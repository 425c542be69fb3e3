ARG TAG
ARG VARIANT_X="-alpine"
ARG REG=docker.io
FROM alpine:${TAG}
FROM node:22${VARIANT}
FROM --platform=$BUILDPLATFROM golang AS build
FROM alpine:${TAG:-3.20}
FROM busybox:stable${TAG}
FROM $REG/library/python:3.12
FROM Ubuntu
FROM ${NOPE}
FROM build
