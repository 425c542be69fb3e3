# escape=`
FROM ubuntu:24.04
RUN git clone https://example.com/a.git /a && `
    cd /a && `
    git checkout v1
