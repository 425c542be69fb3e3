FROM debian:12
RUN apt update && apt upgrade -y && apt install -y curl
RUN apt remove -y foo \
    # and what it pulled in
    && apt autoremove -y \
    && apt clean
run apt purge -y bar && apt autoclean
RUN apt full-upgrade -y
# no apt-get twin: left alone
RUN apt list --installed && apt show curl
# a heredoc script: as in a shell-form RUN
RUN <<EOF
apt clean
EOF
