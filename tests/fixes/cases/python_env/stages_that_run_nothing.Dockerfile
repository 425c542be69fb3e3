# a list of images, and a stage others only copy files from: nothing runs there
FROM python:3.13-slim AS python
FROM python:3.12-slim AS py
FROM python:3.12-slim AS app
COPY --from=py /usr/local/lib /opt/lib
RUN pip install --no-cache-dir flask
CMD ["flask", "run"]
