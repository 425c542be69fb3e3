FROM mcr.microsoft.com/windows/servercore
SHELL ["powershell", "-Command"]
CMD Get-Process
FROM alpine
CMD app
