# escape=`
FROM mcr.microsoft.com/windows/nanoserver
CMD cmd.exe `
  # old
  /C echo old
RUN <<EOF
echo hi
EOF
CMD ["cmd.exe", "/C", "echo new"]
