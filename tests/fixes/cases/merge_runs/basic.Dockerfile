FROM debian:12-slim
RUN apt-get update
# the tools we need
RUN apt-get install -y --no-install-recommends curl

RUN rm -rf /var/lib/apt/lists/*
COPY app /app
RUN --mount=type=cache,target=/root/.cache pip install -r /app/requirements.txt
RUN --mount=type=cache,target=/root/.cache pip install /app
RUN --network=none python -m compileall /app
RUN useradd --system app
USER app
RUN mkdir -p /home/app/data
RUN touch /home/app/data/.keep
