# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
HEALTHCHECK CMD powershell -Command exit 0
