# escape=`
FROM debian:bookworm
RUN useradd `
        -u 1234567 app
RUN <<EOF
useradd -u 1234567 b
EOF
