ARG BASE=myorg/base:1
FROM $BASE
# the base image may set its own SHELL (bash): no /bin/sh around [[
CMD [[ -f /etc/app.conf ]] && app
FROM myorg/base:2 AS two
CMD ./migrate && app --serve
FROM mcr.microsoft.com/dotnet/framework/runtime:4.8.1 AS win
CMD setup.exe && app.exe
