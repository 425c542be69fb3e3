FROM alpine
  env a=1
  env b=2
RUN <<EOF
ENV X=1
EOF
ENV C=3
