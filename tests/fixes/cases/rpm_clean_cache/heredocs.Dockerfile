FROM rockylinux:9 AS errexit
# set -e and a plain last command: the clean on a line of its own
RUN <<EOF
set -eux
dnf install -y \
    gcc \
    make
gcc --version
EOF

FROM registry.access.redhat.com/ubi9/ubi-minimal AS plain
# no errexit: `&&` after the last command, so the script exits as before
RUN <<'END'
microdnf install -y shadow-utils
useradd -r app || true
END

FROM opensuse/leap:15.6 AS zypper
RUN <<EOF
zypper -n install curl
EOF

FROM rockylinux:9 AS refused
# the script ends in an if, or with a comment: reported, not fixed
RUN <<EOF
dnf install -y vim
if true; then echo done; fi
EOF
RUN <<EOF
yum install -y vim
# done
EOF
# already clean
RUN <<EOF
set -e
dnf install -y vim
dnf clean all
EOF
