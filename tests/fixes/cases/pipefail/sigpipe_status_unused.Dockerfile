FROM debian:12
# The pipes' statuses are not used: a substitution in an argument, a loop that reads to the end.
RUN [ "$(pip list | awk '$1 == "pip" { print $2; exit }')" = "24.0" ] \
    && cat /etc/volumes | while read -r dir; do mkdir -p "$dir"; done
RUN echo "v=`curl -fsSL https://example.com/v | head -n 1`" > /v

FROM debian:12 AS assigned
# An assignment's status is the substitution's.
RUN V=$(curl -fsSL https://example.com/releases | head -n 1) && echo "$V"

FROM debian:12 AS loop-breaks
RUN cat /etc/volumes | while read -r dir; do [ -d "$dir" ] && break; done

FROM debian:12 AS backquoted
RUN V=`curl -fsSL https://example.com/releases | head -n 1` && echo "$V"
CMD ["app"]
