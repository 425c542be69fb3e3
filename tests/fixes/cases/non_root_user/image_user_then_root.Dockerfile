# Jenkins runs as jenkins, but the file switches to root and stays there.
FROM jenkins/jenkins:lts-jdk17
USER root
RUN apt-get update && apt-get install -y --no-install-recommends docker.io && rm -rf /var/lib/apt/lists/*
CMD ["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"]
