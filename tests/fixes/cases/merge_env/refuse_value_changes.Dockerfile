FROM alpine
ENV A="unbalanced
ENV B=1
ENV C=2
ENV D=1 E='x
ENV F=3
ENV G=4
ENV H=a\ b
ENV I=5
