FROM python:3.12-slim
SHELL ["/bin/bash", "-c"]
RUN source /opt/venv/bin/activate && pip install flask
FROM python:3.12-slim
RUN pip install x \
    && source /venv/bin/activate \
    && echo "source me" # source
