from alpine
expose 1:2