# escape=`
FROM mcr.microsoft.com/windows/servercore
CMD app.exe --port $env:PORT

FROM alpine
CMD app `
  # the port
  --port $PORT
RUN <<EOF
echo hi
EOF
CMD app "$@"
