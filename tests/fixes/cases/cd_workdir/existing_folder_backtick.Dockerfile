# escape=`
FROM debian:12
WORKDIR /app
COPY . /src
RUN cd /src; `
    make; `
    make check
RUN make -C /src `
    && cd /src
COPY x /x
