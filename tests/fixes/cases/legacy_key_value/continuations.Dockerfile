FROM alpine:3.20
ENV LONG first \
# a comment inside the continuation
    second
LABEL summary one \
      two \
      three
ENV NEEDS_ESCAPES "quoted" \
    unquoted
RUN <<EOF
ENV INSIDE a heredoc
EOF
ENV AFTER heredoc body
