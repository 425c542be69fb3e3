FROM node:20
# this file starts its && lines at column 0: the merged pair is still indented
ENV PATH="/app/node_modules/.bin:$PATH"
ENV COREPACK_HOME=/opt/corepack
RUN apt-get update \
&&  apt-get install -y --no-install-recommends git \
&&  rm -rf /var/lib/apt/lists/*
CMD ["node"]
