from alpine:3.20
env DIST=dist/
add ${DIST} /srv/
add $MISSING /srv/