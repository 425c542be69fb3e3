FROM python:3.12-slim
SHELL ["/bin/bash", "-c"]
RUN curl -fsSL https://install.python-poetry.org | python3 -
FROM python:3.12-slim
SHELL ["/usr/bin/bash", "-c"]
RUN curl -fsSL https://example.com/x | sh
FROM python:3.12-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/x | sh
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Get-ChildItem | Out-File c:\\files.txt
CMD ["app"]
