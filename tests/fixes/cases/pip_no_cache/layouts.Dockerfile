FROM python:3.12-slim
RUN pip install \
        flask \
        gunicorn
RUN pip install --upgrade pip && \
    # then the app
    pip install -r requirements.txt
RUN set -eux; \
    python -m pip install \
      -r requirements.txt
