# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell -Command `

    Write-Host one
RUN <<EOF
first

after an empty line in a heredoc: content
EOF
COPY <<EOF C:\note.txt
text

EOF
