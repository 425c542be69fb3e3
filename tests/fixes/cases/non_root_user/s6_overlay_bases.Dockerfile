ARG BUILD_FROM
FROM $BUILD_FROM
RUN apk add --no-cache samba-common-tools
COPY data/run.sh /
CMD ["/run.sh"]
