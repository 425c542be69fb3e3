FROM rockylinux/rockylinux:9
RUN dnf install -y git \
 && dnf clean all
RUN git clone --quiet https://example.com/spack.git /opt/spack \
 && git -C /opt/spack checkout --quiet v1.0
ENV JULIA_VERSION=1.12
ENV JULIA_ARCH=x86_64
