FROM node:20-slim
RUN cd /usr/src && git clone https://example.com/lib.git
ENV NODE_ENV=production
WORKDIR /srv/app
COPY package.json ./
