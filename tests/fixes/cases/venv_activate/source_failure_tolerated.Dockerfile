FROM python:3.12-slim
RUN python -m venv /opt/venv
RUN source /opt/venv/bin/activate && pip install --no-cache-dir flask
RUN source /opt/venv/bin/activate; pip install --no-cache-dir -r requirements.txt
RUN set -eux; source /opt/venv/bin/activate; pip install --no-cache-dir gunicorn
RUN source /opt/venv/bin/activate && pip install --no-cache-dir celery || true
RUN if [ -d /opt/venv ]; then source /opt/venv/bin/activate; fi && pip install --no-cache-dir redis
run source ${VIRTUAL_ENV:-/opt/venv}/bin/activate \
    # then the tools
    && pip install --no-cache-dir black
CMD ["python", "app.py"]
