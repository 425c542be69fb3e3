FROM rockylinux:9 AS rocky
RUN yum install httpd && yum clean all
RUN yum groupinstall "Development Tools" && yum clean all
RUN dnf --setopt=tsflags=nodocs install python3 && dnf clean all
RUN /usr/bin/dnf localinstall ./pkg.rpm && dnf clean all
RUN microdnf install shadow-utils && microdnf clean all
RUN yum update && yum clean all
RUN yum install -qy a && dnf install --assumeyes b && dnf -y install c && yum clean all && dnf clean all

FROM opensuse/leap:15.6
run zypper in curl && zypper clean
run zypper --gpg-auto-import-keys install -y git && zypper clean
run zypper --non-interactive rm vim && zypper rm -n emacs
run zypper patch && zypper ref
