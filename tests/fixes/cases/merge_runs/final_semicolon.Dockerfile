FROM debian:12
# a `;` that ends a command only ends the list: it goes before `&&`
RUN mkdir -p /etc/apt/keyrings;
RUN printf "extra-packages: x\n" > /tmp/cabal.project.local ;
RUN touch /tmp/done;

FROM debian:12 AS find
# the `\;` and `';'` that `find -exec` takes are words, not operators
RUN touch /tmp/a
RUN find /tmp -name a -exec rm {} \;
RUN find /tmp -name b -exec rm '{}' ';'
RUN touch /tmp/b

FROM debian:12 AS two-commands
# `a; b` is two commands (hadolint leaves it out), and after another RUN
# would run b whatever the RUN before did: left alone
RUN touch /tmp/c
RUN rm -f /tmp/c; touch /tmp/d
