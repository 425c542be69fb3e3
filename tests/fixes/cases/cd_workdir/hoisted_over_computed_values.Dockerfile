# Commands that only compute text before the cd do the same in the new
# folder: an architecture read from a platform argument and mapped by an
# `if`, a build number cut from a build argument, a clone into the folder
# itself (a WORKDIR making the folder first leaves it empty, as git wants).
ARG HOST_VERSION=4.1036.2
FROM ubuntu:22.04
ARG TARGETPLATFORM
ENV ASSETS_DIR=/opt/runner
RUN export ARCH=$(echo ${TARGETPLATFORM} | cut -d / -f2) \
    && if [ "$ARCH" = "amd64" ] || [ "$ARCH" = "i386" ]; then export ARCH=x64 ; fi \
    && mkdir -p "$ASSETS_DIR" \
    && cd "$ASSETS_DIR" \
    && curl -fLo runner.tar.gz "https://example.com/runner-${ARCH}.tar.gz" \
    && tar xzf ./runner.tar.gz \
    && rm runner.tar.gz
CMD ["/opt/runner/run.sh"]

FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
# Without a default of its own, the stage's ARG takes the global one's.
ARG HOST_VERSION
RUN BUILD_NUMBER=$(echo ${HOST_VERSION} | cut -d'.' -f 3) && \
    git clone --branch v${HOST_VERSION} https://example.com/host.git /src/host && \
    cd /src/host && \
    dotnet publish /p:BuildNumber=$BUILD_NUMBER -c Release --output /host && \
    rm -rf /root/.nuget /src
RUN ARCH="$(uname -m | sed -e 's/x86_64/amd64/;s/aarch64/arm64/')" && mkdir -p /usr/src/tool && cd /usr/src/tool && make ARCH=$ARCH

# refused (the RUN is not split either: what it removes at its end would
# weigh in the first layer): a test of a relative file, a file test of the
# folder a WORKDIR would make first, a clone elsewhere, a substitution
# reading a file, a sed that writes one
FROM ubuntu:22.04
RUN if [ -f setup.cfg ]; then echo found; fi && mkdir -p /app && cd /app && make && rm -rf obj
RUN if [ -d /app ]; then echo found; fi && mkdir -p /app && cd /app && make && rm -rf obj
RUN git clone https://example.com/x.git /src/x && cd /src/x/sub && make && rm -rf obj
RUN V=$(cat VERSION) && mkdir -p /app && cd /app && make V=$V && rm -rf obj
RUN V=$(echo 1 | sed 's/1/2/w out.txt') && mkdir -p /app && cd /app && make V=$V && rm -rf obj
CMD ["make"]
