# CRLF, lower case
from cimg/node:20.11
run npm ls --all | wc -l
