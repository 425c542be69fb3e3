FROM debian:12
workdir /app
copy . /src
run cd /src ; make \
# or
    || make -k
expose 80
run make -C /src \
# then
    install \
    && cd /src
