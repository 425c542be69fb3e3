FROM alpine:3.20
RUN <<EOF
echo "ADD . /app"
EOF
ADD readme.md /doc/
COPY <<EOF /etc/x
ADD y /z
EOF
ADD <<-EOT run.sh /srv/
	echo hi
	EOT
ADD run.sh /run.sh
