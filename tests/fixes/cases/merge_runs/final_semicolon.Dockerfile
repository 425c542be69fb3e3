FROM debian:12
# a `;` that ends a command only ends the list: it goes before `&&`
RUN mkdir -p /etc/apt/keyrings;
RUN printf "extra-packages: x\n" > /tmp/cabal.project.local ;
RUN touch /tmp/done;

FROM debian:12 AS refused
# `find -exec … \;` ends with a word, and `a; b` after another RUN would run
# b whatever the RUN before did: left alone
RUN touch /tmp/a
RUN find /tmp -name a -exec rm {} \;
RUN touch /tmp/b
RUN rm -f /tmp/c; touch /tmp/d
