FROM fedora:40
RUN dnf install \
        gcc \
        make \
    && dnf clean all
RUN dnf install gcc && \
    # the compiler, then the headers
    dnf install kernel-headers && \
    dnf clean all
# hadolint ignore=DL3038
RUN dnf install vim && dnf clean all
RUN ["dnf", "install", "nano"]
RUN <<EOF
dnf install tmux
dnf clean all
EOF
RUN echo 'dnf install inside quotes' && "dnf" install jq && dnf clean all
