ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim AS build
RUN pip download -d /wheels -r requirements.txt | tee /download.log
FROM build AS test
RUN python -m pytest | tee /test.log
FROM build
COPY --from=test /test.log /
RUN cat /test.log | wc -l
CMD ["app"]
