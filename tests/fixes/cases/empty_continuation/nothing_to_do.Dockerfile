FROM alpine:3.20
RUN echo one \
# only a comment
    two

RUN echo three
