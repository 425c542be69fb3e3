# escape=`
FROM python:3.12-slim
RUN <<EOF
echo PYTHONUNBUFFERED=1
EOF
ENV A=1 `
    B=2