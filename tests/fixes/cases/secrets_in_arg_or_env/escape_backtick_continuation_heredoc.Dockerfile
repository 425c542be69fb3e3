# escape=`
FROM alpine
ENV A=1 `
  # c
  SECRET=2
RUN <<EOF
echo $SECRET
EOF
