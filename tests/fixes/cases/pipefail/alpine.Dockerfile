FROM alpine:3.20
RUN apk add --no-cache curl
RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
FROM node:20-alpine
RUN npm ls --all | tee /deps.txt
CMD ["app"]
