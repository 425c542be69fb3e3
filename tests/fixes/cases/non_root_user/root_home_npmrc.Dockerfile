FROM node:22-slim
WORKDIR /app
RUN echo "//npm.example.com/:_authToken=\${NPM_TOKEN}" > ~/.npmrc
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
