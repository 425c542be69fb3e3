ARG GLOBAL=1
FROM scratch AS base
ARG foo
COPY Dockerfile${foo} .
ENV PATH=$PAHT:/tmp/bin
ARG DIR_BINARIES=binaries/
ARG DIR_ASSETS=assets/
COPY $DIR_ASSET .
COPY --chown=$USERNAME:$GROUP a b
COPY <<EOF /x
$HOME '$QUOTED'
EOF
COPY <<'EOF' /y
$NOT_EXPANDED
EOF
RUN --mount=type=cache,target=$CACHE echo $NOT_CHECKED
ARG A=1 B=$A C=$Z
LABEL version=$GLOBAL
USER ${NAME:-app}
ENV ONE=1 TWO=$ONE
ENV single='$SINGLE'
WORKDIR $BUILDKIT_SBOM_SCAN_STAGE

FROM base
COPY $foo $DIR_ASSETS $TWO /

FROM alpine
COPY $foo .
ARG foo=bar
RUN echo $foo
ENV X=$PYTHON_VERSION
