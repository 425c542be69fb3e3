# `/` exists in every image and the shell was found through it: a `cd /` not
# tied by `&&` to all that follows cannot fail, whoever the user is (the base
# image is not one known to run as root).
FROM example.com/tools/builder:1 AS build
RUN mkdir /scratch
RUN cd / && \
    find scratch -type d | xargs rmdir &> /dev/null || true

FROM example.com/tools/runtime:1
COPY --from=build /usr/local/bin/tool /usr/local/bin/tool
