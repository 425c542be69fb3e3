FROM oraclelinux:7-slim
# the cache folder removed whole: that is a clean
RUN yum -y install oracle-softwarecollection-release-el7 && \
    yum -y install rh-ruby27 \
                   gcc make && \
    rm -rf /var/cache/yum

FROM redhat/ubi9-minimal
# the clean goes at the column of the commands, not of the package list
RUN set -ex; \
    microdnf -y update; \
    microdnf -y install  \
        tar \
        hostname
CMD ["bash"]
