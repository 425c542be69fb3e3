FROM python:3.12-slim AS base
# the old way
CMD ["python", "app.py"]
ENTRYPOINT ["tini", "--"]

HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]

HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/health"]
CMD ["gunicorn", "app:app"]

FROM base
ENTRYPOINT ["/x"]
ENTRYPOINT ["/y"]
CMD a
