FROM node:20
COPY . .
RUN yarn install
RUN ["yarn", "install"]
RUN <<EOF
yarn install
EOF
