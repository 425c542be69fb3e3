FROM oraclelinux:9
# set -e scripts that separate commands with ; get ; dnf clean all (a last ; is kept);
# a last command in an && list, or no set -e, gets && as before
RUN set -eux; \
    dnf install -y tar;
RUN set -eux; \
    dnf install -y gzip; \
    echo done
RUN set -eux; dnf install -y xz
RUN set -eux; \
    dnf install -y zip; \
    test -f /x && echo yes
RUN dnf install -y unzip; \
    echo no errexit
