FROM golang AS build
FROM node AS Build
FROM alpine AS scratch
from alpine as context
FROM build AS final
