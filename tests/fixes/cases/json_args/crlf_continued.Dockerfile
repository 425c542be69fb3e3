FROM alpine
CMD python \
    -m app
RUN true
