FROM myorg/masked:1.0 AS masked
RUN apt-get update || true
RUN curl -fsSL https://example.com/x | sh

FROM myorg/conditional:1.0 AS conditional
RUN if command -v apt-get; then apt-get update; fi
RUN curl -fsSL https://example.com/x | sh

FROM myorg/apk-only:1.0 AS apk-only
RUN apk add --no-cache curl
RUN curl -fsSL https://example.com/x | sh

FROM myorg/installed-in-the-same-run:1.0 AS installed-in-the-same-run
RUN apk add --no-cache bash && curl -fsSL https://example.com/x | bash

FROM myorg/later:1.0 AS later
RUN curl -fsSL https://example.com/x | sh
RUN bash ./setup.sh

FROM myorg/new-root:1.0 AS new-root
RUN apt-get update
COPY --from=myorg/rootfs:1 / /
RUN curl -fsSL https://example.com/x | sh

FROM myorg/path:1.0 AS path
ENV PATH=/opt/tools/bin
RUN bash ./setup.sh
RUN curl -fsSL https://example.com/x | sh

FROM myorg/exits:1.0 AS exits
RUN [ -f /done ] && exit 0; apt-get update
RUN curl -fsSL https://example.com/x | sh
CMD ["app"]
