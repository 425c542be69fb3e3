# escape=`
FROM python:3.12
RUN <<EOF
uv pip install --locked .
EOF
RUN uv pip install `
    --frozen -r requirements.txt