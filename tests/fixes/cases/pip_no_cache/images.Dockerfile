FROM python:3.7-alpine
RUN pip install flask

FROM python:3 AS py3
RUN pip install flask

FROM py3
RUN pip install gunicorn

FROM ubuntu:22.04
RUN pip3 install flask

FROM ubuntu:18.04
RUN pip3 install flask

FROM debian:bookworm-slim
RUN pip3 install --break-system-packages flask

FROM myorg/python-base:1.0
RUN pip install flask

FROM python:3.12 AS env
ENV PIP_NO_CACHE_DIR=1
RUN pip install flask

FROM env
RUN pip install gunicorn

FROM python:3.12
RUN pip install flask
ENV PIP_NO_CACHE_DIR=true
# hadolint ignore=DL3042
RUN pip install a

FROM ubuntu:14.04
RUN apt-get update && apt-get install -y python-pip && pip install flask

FROM ubuntu:trusty
RUN curl -sS https://bootstrap.pypa.io/get-pip.py | python && pip install flask

FROM centos:7
RUN pip3 install --upgrade pip && pip3 install flask && pip install six
RUN pip3 install requests

FROM amazonlinux:2
RUN python3 -m pip install -U "pip==9.0.3" && pip3 install flask
