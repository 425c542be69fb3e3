FROM ubuntu:24.04
# two sources in one RUN: both become `.` at once
RUN source /opt/a.sh && source /opt/b.sh && make
# arguments for the script: `.` takes none in sh, so reported only
RUN source /opt/toolkit/set_env.sh --force && \
    cmake --build build
