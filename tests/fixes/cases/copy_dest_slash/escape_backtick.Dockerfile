# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\app
COPY a.ps1 b.ps1 `
    C:\app
COPY a.ps1 b.ps1 .
