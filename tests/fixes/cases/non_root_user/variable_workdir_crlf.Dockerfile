from node:22-slim
env APP_HOME=/app
copy . $APP_HOME
# BuildKit expands the variable; a chown in a RUN would read the shell's own
workdir ${APP_HOME}
cmd ["node", "server.js"]