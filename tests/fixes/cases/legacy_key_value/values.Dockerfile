FROM debian:bookworm-slim
ENV APP_HOME /srv/app
ENV GREETING hello  world
ENV TABBED a	b
ENV HOMEBIN $HOME/bin
ENV DEFAULTED ${MODE:-dev build}
ENV QUOTED "already quoted"
ENV MIXED "two words" and more
ENV SINGLE 'not $expanded' here
ENV EMPTY ""
ENV EQUALS a=b
ENV JSONISH ["a", "b"]
ENV WINPATH C:\Program Files\app
ENV TRAILING spaces after   
LABEL description A small web service
LABEL maintainer="kept as it is"
ENV ALREADY=ok OTHER=fine
RUN echo "$GREETING"
LABEL author Erik \\Hollensbe <erik@example.org>\"
ENV ESCAPED_QUOTE say \"hi\" there
