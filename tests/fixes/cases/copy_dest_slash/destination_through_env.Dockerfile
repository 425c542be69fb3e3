# A destination named through an ENV of a known value cannot expand to
# nothing: it gains its `/`. One through a build argument can (its default
# is no promise: `--build-arg DEST=` empties it), nor can one whose ENV
# takes a build argument's value.
FROM golang:1.24
ENV APP_PATH=/go/src/example.com/app
ADD go.mod go.sum $APP_PATH
COPY a.txt b.txt "${APP_PATH}"
ARG DEST=/srv
COPY a.txt b.txt $DEST
ENV FROM_ARG=$DEST
COPY a.txt b.txt $FROM_ARG
