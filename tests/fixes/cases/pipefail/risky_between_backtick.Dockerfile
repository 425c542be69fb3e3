# escape=`
FROM debian:12
RUN curl -fsSL https://example.com/a.tgz `
    | tar -xz -C /opt
RUN yes | apt-get install -y curl
RUN curl -fsSL https://example.com/b.tgz | tar -xz -C /srv
CMD ["app"]
