FROM node:20
RUN useradd -m appuser
USER appuser
COPY . /home/appuser/
USER root
RUN npm i -g pm2
CMD ["pm2-runtime", "app.js"]
