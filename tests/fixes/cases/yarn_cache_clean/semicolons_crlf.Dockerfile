FROM node:20
RUN set -eux; \
    yarn install --frozen-lockfile; \
    yarn build;
RUN set +e; yarn install
RUN set -e; yarn install; set +e; yarn build
