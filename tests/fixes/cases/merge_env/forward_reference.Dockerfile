FROM python:3.12-slim
ENV APP_HOME=$HOME/app
ENV HOME=/srv
ENV LANG=C.UTF-8
env cache_dir=${XDG_CACHE_HOME:-/tmp}/app
ENV XDG_CACHE_HOME=/var/cache
