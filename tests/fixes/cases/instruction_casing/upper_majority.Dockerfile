arg PYTHON=3.12
FROM python:${PYTHON}-slim AS base
run apt-get update \
# a comment inside the continuation
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
Env APP_HOME=/app
WORKDIR $APP_HOME

from base as build
copy <<EOF /app/setup.cfg
[metadata]
name = app
EOF
RUN pip install .

From base As final
onbuild run echo "a trigger keeps its text"
ONBUILD copy . /app
healthcheck cmd curl -f http://localhost/ || exit 1
CMD ["python", "-m", "app"]
