FROM python:3.12 AS base
RUN useradd --system svc
USER svc
FROM base
COPY app.py /srv/
CMD ["python", "/srv/app.py"]
FROM python:3.12 AS unused
