FROM alpine:3.20
WORKDIR /app
ARG DEST
COPY a.txt b.txt $DEST
ARG SUB=
copy a.txt b.txt "${SUB}"
COPY a.txt b.txt ${SUB:-lib}
COPY a.txt b.txt /opt/$SUB
CMD ["sh"]
