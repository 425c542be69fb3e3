FROM python:3.12-slim
CMD gunicorn mysite.wsgi:application --bind 0.0.0.0:8000
ENTRYPOINT	/usr/local/bin/app  --serve
