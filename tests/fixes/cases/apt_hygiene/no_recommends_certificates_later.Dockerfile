# ca-certificates installed only after the download that needs it: the
# install of curl gets it too, or the https download would fail.
FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y curl \
    && curl -fsSL https://example.com/key.asc -o /usr/share/keyrings/example.asc \
    && apt-get install -y ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# a later RUN naming it does not help this one either
FROM debian:12-slim AS second
RUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/*
# but an earlier RUN of the stage does
FROM debian:12-slim AS third
RUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
CMD ["app"]
