# escape=`
FROM python:3.12
RUN <<EOF
uv venv /opt/venv
EOF
RUN uv venv /opt/venv `
    && uv pip install flask