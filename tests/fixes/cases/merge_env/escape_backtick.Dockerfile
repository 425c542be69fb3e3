# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV A=C:\\app
ENV B="x y" `
    C=z
env d=1
