# cAdvisor reads the host's cgroups and the container runtime's files as root.
FROM fedora:40
RUN dnf -y install cadvisor && dnf clean all
EXPOSE 8080
CMD ["/usr/bin/cadvisor"]
