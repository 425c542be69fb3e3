FROM ubuntu:24.04
RUN sudo apt-get update && sudo -E apt-get install -y curl
RUN curl -fsSL https://example.com/install.sh | sudo bash
RUN echo "deb x" | sudo tee /etc/apt/sources.list.d/x.list
RUN sudo -u root make install && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata
RUN sudo -u app make install
RUN sudo -i
USER app
RUN sudo apt-get install -y vim
USER root
run sudo apt-get install -y nano
USER 0:0
RUN sudo rm -rf /tmp/*

FROM jenkins/jenkins:lts
RUN sudo apt-get install -y git

FROM jenkins/jenkins:lts
USER root
RUN sudo apt-get install -y git

FROM python:3.12 AS base
RUN useradd app
FROM base
RUN sudo pip install x
# hadolint ignore=DL3004
RUN sudo pip install y
