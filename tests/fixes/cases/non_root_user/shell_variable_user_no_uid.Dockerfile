FROM node:20
RUN set -e; NAME=worker; useradd -m "$NAME"
USER root
COPY . /srv
CMD ["node", "/srv/index.js"]
