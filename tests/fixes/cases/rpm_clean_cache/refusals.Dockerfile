FROM fedora:40 AS base
RUN dnf install -y curl;
RUN dnf install -y git # and nothing else
RUN dnf install -y --installroot=/sysroot bash
RUN zypper --root /sysroot -n in bash
RUN yum install -y make
RUN yum -C install -y make-devel

FROM fedora:40
# hadolint ignore=DL3040
RUN dnf install -y vim
RUN dnf install -y nano
RUN dnf -y install emacs

FROM base
RUN --network=none dnf install -y offline-thing

FROM rockylinux:9 AS cache-only-heredoc
# a later heredoc installs from the cache only: the cache stays
RUN dnf install -y gcc
RUN <<EOF
dnf --cacheonly install -y gcc-c++
EOF
