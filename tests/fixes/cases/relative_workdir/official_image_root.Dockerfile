FROM python:3.12-slim AS base
# python sets no WORKDIR: the stage starts in /
workdir app
COPY . .

FROM base AS test
WORKDIR tests

# golang's images end with WORKDIR /go: src is /go/src
FROM golang:1.22 AS go
WORKDIR src

# php's apache and fpm images end with WORKDIR /var/www/html, its cli ones set none
FROM php:8.3-apache AS web
WORKDIR app
FROM php:8.3-cli-alpine AS cli
WORKDIR app

# a tag that a build argument names may be any variant: reported only
ARG PHP_TAG=8.3-fpm
FROM php:${PHP_TAG} AS any
WORKDIR app

FROM myorg/python:3.12
WORKDIR app
