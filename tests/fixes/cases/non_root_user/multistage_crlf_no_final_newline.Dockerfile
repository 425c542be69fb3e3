FROM python:3.12 AS build
RUN pip wheel -w /w .
FROM python:3.12-slim
WORKDIR /app
COPY --from=build /w /app/w
RUN pip install /app/w/*.whl