FROM        python:3.12-alpine

# the file lines its arguments up in one column: what is merged keeps it
USER        app
ENV         USER=app
ENV         HOME=/home/app
WORKDIR     /home/app
COPY        entrypoint.sh /entrypoint.sh
CMD         ["/bin/ash", "/entrypoint.sh"]
