FROM nginx:1.27
ARG VERSION=1.20
# a literal folder first and a plain name last: COPY (unsafe)
ADD app/$VERSION/nginx.conf /etc/nginx/
add ./conf/${VERSION}/*.conf /etc/nginx/conf.d/
# the variable may hold a URL: reported only
ADD $PACKAGE_URL /tmp/
# an archive name, or a pattern that could match one: ADD stays
ADD dist/$VERSION/site.tar.gz /usr/share/nginx/
ADD dist/$VERSION/* /usr/share/nginx/
# a host first: BuildKit may read it as a git source
ADD github.com/$ORG/repo /src
