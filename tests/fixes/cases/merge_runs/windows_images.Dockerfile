# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
# cmd.exe: setx changes PATH for later processes only
RUN setx /M PATH "%PATH%;C:\tools"
RUN tool --version

FROM mcr.microsoft.com/dotnet/framework/sdk:4.8 AS build
# this image sets SHELL to Windows PowerShell 5.1, which rejects &&
RUN nuget restore app.sln
RUN msbuild app.sln
