# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
ENV PKG=jdk1.8.0_202/ `
    JAVA_HOME=C:\\jdk1.8.0_202
ADD $PKG /
