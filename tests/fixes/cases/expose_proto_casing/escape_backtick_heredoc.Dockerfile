# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN <<EOF
EXPOSE 80/TCP stays in the heredoc
EOF
EXPOSE 80/TCP `
    443/TCP
