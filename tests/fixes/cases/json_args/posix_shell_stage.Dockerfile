FROM debian:12 AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN <<EOF
echo "built" | tee /built
EOF
CMD app --serve
ENTRYPOINT ./migrate && gunicorn app:app --bind 0.0.0.0:$PORT
CMD app | tee /var/log/app.log

FROM base AS child
# Inherits bash with pipefail from base.
CMD ./run \
    # the port comes from the environment
    --port $PORT
cmd worker --queue default

FROM debian:12 AS login-shell
SHELL ["/bin/bash", "-l", "-c"]
CMD app --serve

FROM debian:12 AS powershell
SHELL ["pwsh", "-Command"]
CMD Get-Process
