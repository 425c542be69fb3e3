# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
run powershell -Command `
    Write-Host one
Shell ["powershell", "-Command"]
RUN Write-Host two
