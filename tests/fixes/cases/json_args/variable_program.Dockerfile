FROM registry.access.redhat.com/ubi9/s2i-core AS usage
# a program named through a variable and a path: exec form, unsafe
CMD $STI_SCRIPTS_PATH/usage

FROM registry.access.redhat.com/ubi9/s2i-core AS braces
entrypoint ${APP_ROOT}/bin/start --port $PORT

FROM registry.access.redhat.com/ubi9/s2i-core AS bare
# the variable alone could name a builtin: no exec, only the shell written out (unsafe)
CMD $RUNNER

FROM registry.access.redhat.com/ubi9/s2i-core AS piped
CMD $APP_ROOT/bin/start | tee /tmp/log
