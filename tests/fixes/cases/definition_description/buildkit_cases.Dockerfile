# check=experimental=InvalidDefinitionDescription
# bar this is the bar
ARG foo=bar
# BasE this is the BasE image
FROM scratch AS base
# definitely a bad comment
ARG version=latest
# definitely a bad comment
ARG foo=baz bar=qux baz=quux
# bit the bit

ARG bit=bat
# a comment
#
ARG bot=bat
# comment for something other than ARG or FROM
COPY Dockerfile .
