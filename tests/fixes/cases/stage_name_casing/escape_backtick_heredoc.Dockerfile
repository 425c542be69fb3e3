# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS `
    Base
COPY <<EOF C:\app\note.txt
COPY --from=Base is text in a heredoc
EOF

FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY --from=Base `
# a comment inside the continuation
    C:\app C:\app
