# escape=`
FROM registry.example.com/team/base:3
RUN microdnf install -y tar gzip `
    && microdnf clean all
RUN curl -fsSL https://example.com/x.tar.gz `
    # unpack into /opt
    | tar -xz -C /opt
CMD ["app"]
