FROM alpine:3.20
# a test in brackets is a condition to hadolint, not a command: these RUNs
# are one command each, and reported
RUN [ -d /data ] || mkdir /data
RUN sed -i 's/^a/b/' /etc/app.conf
RUN [[ -d /opt/x ]] && mkdir /opt/y

# `test` is a command: two commands, left out
RUN test -d /srv || mkdir /srv
RUN echo done

FROM alpine:3.20 AS quoted
# a `$(…)` in single quotes is text, not a command: one command each
RUN echo 'PATH="$(ruby -e "puts Gem.user_dir")/bin:$PATH"' >> /root/.profile
RUN echo $((6 * 7)) > /tmp/answer
# a real substitution makes two: left out
RUN echo "$(date)" > /tmp/built
