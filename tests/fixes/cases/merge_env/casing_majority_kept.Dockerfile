from debian
run true
copy a /a
workdir /
ENV A=1
ENV B=2
ENV C=3
ENV D=4
ENV E=5
