# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
  MAINTAINER Jane Doe `
    <jane@example.org>
RUN <<EOF
MAINTAINER in a heredoc
EOF
MAINTAINER C:\Users\jane `quoted`
