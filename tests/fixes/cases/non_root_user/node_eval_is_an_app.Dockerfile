FROM node:20-slim
WORKDIR /app
COPY . .
CMD ["node", "-e", "require('./server').listen(3000)"]
