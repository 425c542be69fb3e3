FROM python:3.12-slim
RUN <<EOF
set -e
pip install --upgrade \
    flask \
    gunicorn
python -m pip install -r requirements.txt
EOF
# the body sets PIP_NO_CACHE_DIR: left alone
RUN <<EOF
export PIP_NO_CACHE_DIR=1
pip install flask
EOF
CMD ["gunicorn", "app:app"]
