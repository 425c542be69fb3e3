# a safe and an unsafe rewrite in one round: both post-conditions hold on the output
FROM python:3.12
FROM python:3.12-slim
WORKDIR sub
FROM scratch
RUN echo one
WORKDIR sub
