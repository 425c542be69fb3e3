FROM debian:bookworm-slim AS base
MAINTAINER Jane Doe <jane@example.org>
RUN echo base

FROM base
MAINTAINER jane@example.org
FROM base AS special
MAINTAINER "Jane" $USER \backslash `tick`
