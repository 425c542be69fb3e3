FROM python:3.12-slim AS base
WORKDIR /usr/local/app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

FROM base AS final
# the working directory comes from the stage above: reported, not handed over here
COPY . .
CMD ["gunicorn", "app:app"]
