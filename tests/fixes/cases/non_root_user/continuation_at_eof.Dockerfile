FROM debian:bookworm
CMD ["/srv/app"]
RUN echo one \
    # a comment line
    && echo two \