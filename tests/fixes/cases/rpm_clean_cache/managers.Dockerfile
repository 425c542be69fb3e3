FROM rockylinux:9
RUN yum install -y httpd
RUN yum install -y httpd && yum clean all
RUN yum install -y httpd && rm -rf /var/cache/yum/*
RUN yum clean all && yum install -y httpd
RUN yum install -y a && yum clean all && yum install -y b
RUN yum groupinstall -y "Development Tools"
RUN dnf -y upgrade && dnf -y reinstall tzdata
RUN microdnf install -y shadow-utils
RUN /usr/bin/dnf install -y jq
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y jq
RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y jq
RUN yum install -y a && dnf install -y b

FROM opensuse/leap:15.6
run zypper -n in curl
run zypper -n install git && zypper cc
