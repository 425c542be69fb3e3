FROM quay.io/fedora/s2i-core:latest
# the system's own folders appended again: left alone
ENV PHP_VERSION=7.4 \
    PATH=$PATH:/usr/bin
ENV PATH="${PATH}:/usr/local/bin/"
# a tool's folder: reported, not moved
ENV PATH=$PATH:/opt/jmeter/bin
