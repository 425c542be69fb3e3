FROM debian
RUN apt-get install -y curl
RUN apt-cache policy curl
RUN <<EOF
apt-get install curl
EOF
RUN ["apt-get", "install", "curl"]
RUN false || apt-get install -y x
RUN apt-get install -y y # trailing comment
