# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ADD app.ps1 `
    C:\app\
ADD C:\tools\setup.exe C:\setup\
RUN echo done
