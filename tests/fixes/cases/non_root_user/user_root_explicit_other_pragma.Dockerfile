from node:20-slim
workdir /app
copy . .
# hadolint ignore=DL3008
user root
cmd ["node", "server.js"]
