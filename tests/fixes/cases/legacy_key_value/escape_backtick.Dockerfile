# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV APP_DIR C:\app\bin
ENV SPACED C:\Program Files\app
ENV TICKED a`b c
ENV QUOTED "C:\Program Files" tail
RUN echo %APP_DIR%
