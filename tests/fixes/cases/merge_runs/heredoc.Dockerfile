FROM debian:12
RUN echo a
RUN <<EOF
echo heredoc
EOF

RUN echo b
RUN echo c
