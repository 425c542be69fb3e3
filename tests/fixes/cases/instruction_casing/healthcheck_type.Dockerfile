from nginx:1.27
healthcheck --interval=30s CMD wget -q -O /dev/null http://localhost/ || exit 1
from nginx:1.27 AS other
HEALTHCHECK NONE
