FROM node:20-slim
RUN <<EOF
npm install -g typescript
EOF
CMD ["sh", "-c", "node"]
