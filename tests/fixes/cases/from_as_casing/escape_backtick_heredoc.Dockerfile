# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 as base
RUN <<EOF
FROM inside a heredoc as text
EOF
FROM base `
# a comment inside the continuation
    as continued
