FROM debian AS base
RUN apt-get update && apt-get install -y curl
FROM base
RUN false || apt-get install -y jq
