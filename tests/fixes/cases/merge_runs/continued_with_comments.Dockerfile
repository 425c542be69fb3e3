FROM python:3.12-slim
RUN pip install \
    # pinned for the app
    "django==5.0"
RUN \
    # a comment before the command
    python -m django --version
# collect the static files
RUN python manage.py collectstatic --noinput
