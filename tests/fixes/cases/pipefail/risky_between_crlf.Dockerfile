FROM debian:12
RUN curl -fsSL https://example.com/a.tgz | tar -xz -C /opt
run echo -e "a\tb" > /etc/x
run curl -fsSL https://example.com/b.tgz \
    # the second archive
    | tar -xz -C /srv
CMD ["app"]