# escape=`
FROM python:3.12-slim
RUN pip install `
        flask
RUN <<EOF
pip install gunicorn
EOF
RUN ["pip", "install", "x"]
