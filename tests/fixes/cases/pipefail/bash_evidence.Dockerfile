FROM myorg/tools:1.0 AS installed
RUN apk add --no-cache bash curl
RUN curl -fsSL https://example.com/install.sh | bash -s -- --yes

FROM myorg/tools:1.0 AS ran-from-path
# `bash` found in PATH need not be /bin/bash: not shown.
RUN bash ./scripts/setup.sh
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt

FROM myorg/tools:1.0 AS ran-by-path
RUN /bin/bash -c 'echo set up'
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt

FROM myorg/app:1.2-alpine AS alpine-named
RUN apk add --no-cache curl
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt

FROM myorg/tools:1.0 AS exec-form
RUN ["/bin/bash", "-c", "echo set up"]
RUN curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt
CMD ["app"]
