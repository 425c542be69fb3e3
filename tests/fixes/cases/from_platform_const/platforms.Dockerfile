FROM --platform=linux/amd64 alpine AS base
FROM --platform=linux/amd64 alpine AS build_amd64
FROM --platform=linux/arm64/v8 alpine AS linux-builder
FROM --platform=$BUILDPLATFORM golang AS build
FROM --platform=linux/x86_64 alpine
FROM --platform=amd64 alpine
