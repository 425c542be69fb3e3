# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV A="C:\unbalanced
ENV B=C:\dir\
ENV C=1
ENV D=x `
  Y=y
ENV E="it`"s"
ENV F=2
