# escape=`
FROM fedora:40
RUN dnf install `
        git `
    && dnf clean all
RUN <<EOF
dnf install tmux
EOF
RUN dnf install make && dnf clean all
