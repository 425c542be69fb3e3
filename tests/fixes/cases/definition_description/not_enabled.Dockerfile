# foo this is the foo
ARG foo=bar
# not the bar
ARG bar
