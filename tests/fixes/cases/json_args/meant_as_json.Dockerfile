FROM python:3.12 AS comment
ENTRYPOINT ["/entrypoint.sh"]
  CMD ["webserver", "--port", "8080"]   # default arguments of the entrypoint

FROM python:3.12 AS other-text
# text that is not a comment: reported only
CMD ["python", "app.py"] --debug

FROM python:3.12 AS pragma
# a comment naming a suppression would start to apply: reported only
ENTRYPOINT ["python", "-m", "app"] # hadolint ignore=DL3025

FROM python:3.12 AS continued
# continued onto a second line: reported only
CMD ["python", \
     "app.py"] # run the app

FROM node:20 AS single-quotes
# single quotes: shell form to BuildKit, written as JSON
CMD ['npm', 'run', 'start']

FROM node:20 AS trailing-comma
ENTRYPOINT ["node", "server.js",] # the server

FROM node:20 AS shell-test
# a shell test command, not an array: left to the rest of the fix
CMD [ -f /app/ready ] && node server.js
