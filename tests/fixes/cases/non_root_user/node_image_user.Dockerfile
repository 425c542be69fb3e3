# The official Node.js images create the user `node` (UID 1000) for the
# application: it is reused rather than a second user created.
FROM node:22-alpine AS web
WORKDIR /home/node/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
