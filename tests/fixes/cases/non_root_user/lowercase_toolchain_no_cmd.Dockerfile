from golang:1.22 as build
run go build -o /out/tool .
cmd ["/out/tool"]

from debian:bookworm
# the toolchain others build from
run apt-get update \
    # compilers
    && apt-get install -y --no-install-recommends gcc \
    && rm -rf /var/lib/apt/lists/*
copy --from=build /out/tool /usr/local/bin/tool
