# check=experimental=all
# no
arg v
# build it
from alpine as build