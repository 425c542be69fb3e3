FROM        debian:bookworm
USER        nobody
WORKDIR     /srv
# shell form to JSON keeps the space the author put after the keyword
CMD         python3 -m http.server
