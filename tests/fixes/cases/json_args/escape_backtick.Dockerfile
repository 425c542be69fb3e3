# escape=`
FROM mcr.microsoft.com/windows/nanoserver
CMD cmd.exe /C app.exe `
    --flag
