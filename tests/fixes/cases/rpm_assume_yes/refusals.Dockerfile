FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN yum install curl

FROM fedora:40
RUN dnf install $(cat packages.txt) 'unbalanced && dnf clean all
RUN cat <<EOF | dnf install curl
EOF
ONBUILD RUN dnf install curl
