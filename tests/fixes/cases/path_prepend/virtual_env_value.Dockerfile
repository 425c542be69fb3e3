FROM python:3.12-slim
ENV VIRTUAL_ENV=/srv/env
ENV PATH=$PATH:/srv/env/bin
ENV PATH="$PATH:$VIRTUAL_ENV/bin"
