FROM alpine
ENV A=1
# explain B
ENV B=2 \
    C=3

ENV D=4
ENV E=5