# escape=`
FROM scratch
WORKDIR app
WORKDIR `
  sub

FROM mcr.microsoft.com/windows/nanoserver
WORKDIR C:\app
WORKDIR sub
