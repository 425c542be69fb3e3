# Official server images that start as root and drop privileges themselves:
# no USER, whether the CMD is the image's or the file's own.
FROM node:22-alpine AS assets
WORKDIR /src
RUN npm ci && npm run build

FROM nginx:1.27-alpine
COPY --from=assets /src/dist/ /usr/share/nginx/html/
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
