arg V
from alpine:$V