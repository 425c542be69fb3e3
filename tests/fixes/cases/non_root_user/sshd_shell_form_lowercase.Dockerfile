from debian:bookworm-slim
run apt-get update && apt-get install -y --no-install-recommends openssh-server \
    && rm -rf /var/lib/apt/lists/* && mkdir /run/sshd
expose 22
cmd /usr/sbin/sshd -D -e
