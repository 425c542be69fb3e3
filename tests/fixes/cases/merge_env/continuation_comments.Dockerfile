FROM node:20
ENV NODE_ENV=production \
    # keep in step with .nvmrc
    NODE_HINT=20 \
  # the port
    PORT=3000
# after a comment between
ENV HOST=0.0.0.0
ENV A=1 \
    # before B
    B=2
