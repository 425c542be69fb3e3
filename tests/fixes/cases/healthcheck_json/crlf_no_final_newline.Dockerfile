FROM python:3.12-slim
HEALTHCHECK --timeout=3s CMD python -m app.health
HEALTHCHECK CMD `cat /probe`