# escape=`
FROM python:3.12
RUN <<EOF
source /opt/venv/bin/activate
EOF
RUN source /opt/venv/bin/activate `
    && pip install flask
RUN . /opt/venv/bin/activate