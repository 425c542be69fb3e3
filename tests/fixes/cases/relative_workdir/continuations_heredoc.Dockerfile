FROM scratch
WORKDIR \
# where it goes
  app
WORKDIR \
  # comment
  lib

RUN <<EOF
echo hi
EOF
WORKDIR bin
COPY <<EOF /x
$HOME
EOF

workdir tmp
