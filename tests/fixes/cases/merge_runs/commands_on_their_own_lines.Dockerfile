FROM ubuntu:24.04
RUN touch /tmp/one
RUN \
        [ -e /etc/apt/apt.conf.d/docker-clean ] && \
        rm /etc/apt/apt.conf.d/docker-clean
RUN touch /tmp/two

# Two commands, not a loop: hadolint does not report the pair
RUN echo "building for arm64" && touch /tmp/arm64
RUN touch /tmp/done
