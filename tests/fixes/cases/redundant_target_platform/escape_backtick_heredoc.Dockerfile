# escape=`
FROM --platform=$TARGETPLATFORM `
# a comment inside the continuation
    mcr.microsoft.com/windows/servercore:ltsc2022
RUN <<EOF
FROM --platform=$TARGETPLATFORM in a heredoc
EOF
