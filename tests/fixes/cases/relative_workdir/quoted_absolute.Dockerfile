FROM ubuntu:22.04
# quoted absolute paths: BuildKit's check reads them before the quotes go
WORKDIR "/workspace"
workdir '/opt/app'
# a blank needs its quotes: left as written
WORKDIR "/my dir"
WORKDIR "/srv/$APP"
RUN make
