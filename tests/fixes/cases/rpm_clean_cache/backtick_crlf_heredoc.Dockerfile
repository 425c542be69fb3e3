# escape=`
FROM fedora:40
RUN dnf install -y `
        git `
    && git --version
RUN <<EOF
dnf install -y tmux
EOF
RUN dnf install -y make
