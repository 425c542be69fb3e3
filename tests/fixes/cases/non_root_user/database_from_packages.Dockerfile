FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
    && curl -fsSL https://packages.microsoft.com/config/ubuntu/22.04/mssql-server-2022.list \
        -o /etc/apt/sources.list.d/mssql-server.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends mssql-server \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 1433
CMD /opt/mssql/bin/sqlservr
