FROM ubuntu:24.04
ARG USER_ID=100000
RUN groupadd --gid 100000 app \
    # the user, with a home
    && useradd \
        --uid ${USER_ID} \
        --gid app \
        --create-home app
RUN ["useradd", "-u", "123456", "x"]
RUN <<EOF
useradd -u 123456 y
EOF
