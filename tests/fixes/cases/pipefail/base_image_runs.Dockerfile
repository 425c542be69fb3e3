FROM ubuntu:24.04

RUN apt-get update

# fetch the key
RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg

RUN echo "between the pipes: run by bash"

RUN wget -O- https://example.com/tool.tar.gz | tar -xz -C /opt

ENV TOOL_HOME=/opt/tool
# after the shell is set back: dash reads this as before
RUN echo -e 'a\nb' > /etc/tool.conf
