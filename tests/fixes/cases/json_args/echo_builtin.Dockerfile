FROM debian:12
# dash's echo turns \n into a newline; /bin/echo prints it as it is
CMD echo 'Usage:\n  docker run IMAGE serve'
