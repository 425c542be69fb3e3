# escape=`
FROM python:3.12
RUN <<EOF
export PATH="$PATH:/opt/venv/bin"
EOF
ENV APP=C:\app `
    PATH="${PATH}:/opt/venv/bin"