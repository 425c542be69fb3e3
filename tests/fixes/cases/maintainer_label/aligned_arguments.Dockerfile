FROM        alpine:3.20
MAINTAINER  Jane Doe <jane@example.com>
USER        nobody
WORKDIR     /srv
CMD         ["true"]
