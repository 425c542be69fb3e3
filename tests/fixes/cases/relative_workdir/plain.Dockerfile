FROM python:3.12-slim
WORKDIR /app
WORKDIR src
RUN make
WORKDIR ../lib/

FROM scratch
WORKDIR app
WORKDIR .
WORKDIR "data"
