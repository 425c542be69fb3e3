FROM alpine:3.20
# downloads, clones and checksums stay ADD
ADD https://example.com/tool.sh /usr/local/bin/tool.sh
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.txt /a.txt
ADD git@github.com:moby/buildkit.git#v0.12.0 /src
ADD deploy@git.example.com:team/app.git /app-src
ADD --keep-git-dir=true https://github.com/moby/buildkit.git /bk
ADD --unpack=false release.bin /opt/
# archives by name: ADD extracts them
ADD rootfs.tar.gz /
ADD vendor.tgz lib.tar.xz /opt/
# an archive and a plain file together: reported, left as ADD
ADD vendor.tgz notes.txt /opt/
# a variable may name an archive: reported
ARG JAR=app.jar
ADD ${JAR} /app.jar
# heredocs
ADD <<EOT /etc/motd
hello
EOT
ONBUILD ADD . /app
# not in the build context: unsafe, the name is a plain file's
ADD entrypoint.sh /entrypoint.sh
ADD conf/*.ini /etc/app/
