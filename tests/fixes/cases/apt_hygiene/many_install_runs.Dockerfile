FROM ubuntu:22.04
RUN apt-get install -y --no-install-recommends a
RUN apt-get install -y --no-install-recommends b
# dockfix: ignore=apt-hygiene
RUN apt-get install -y --no-install-recommends c
RUN apt-get install -y --no-install-recommends d
RUN apt-get install -y --no-install-recommends e
RUN apt-get install -y --no-install-recommends f
RUN apt-get install -y --no-install-recommends g
RUN apt-get install -y --no-install-recommends h
RUN apt-get install -y --no-install-recommends i
RUN apt-get install -y --no-install-recommends j
