FROM mcr.microsoft.com/windows/servercore AS base
SHELL ["powershell", "-Command"]

FROM base AS app
CMD Get-Process

FROM alpine AS late
CMD app --serve
SHELL ["/bin/ash", "-c"]

FROM alpine
  CMD app --port 80
