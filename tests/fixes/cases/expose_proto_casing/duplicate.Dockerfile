FROM alpine:3.20
# the same port in two spellings: lower-casing would list it twice
EXPOSE 8080/Tcp 8080/tcp
EXPOSE 9090/UDP 9091/udp
