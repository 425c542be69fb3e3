# Pipe writers that fail on a normal answer are guarded, each on its own:
# a search that finds nothing, a writer a reader leaves early (SIGPIPE), a
# command xargs runs, one inside a command substitution; the RUN's lines,
# continuations and comments stay as they are.
FROM debian:12
RUN set -eux; \
    savedAptMark="$(apt-mark showmanual)"; \
# the libraries the binaries need, by package
    find /usr/local -type f -executable -exec ldd '{}' ';' \
        | awk '/=>/ { print $(NF-1) }' \
        | sort -u \
        | xargs -r dpkg-query --search \
        | cut -d: -f1 \
        | sort -u \
        | xargs -r apt-mark manual
RUN VERSION=$(curl -fsSL https://example.com/tags | grep -o 'v[0-9.]*' | head -n 1) \
    && curl -fsSL "https://example.com/$VERSION.tgz" | tar -xz -C /opt
RUN ! getent passwd app | grep -q app || userdel app
CMD ["app"]
