FROM rockylinux:9
RUN dnf install -y httpd && dnf clean all
COPY <<EOF /usr/local/bin/start
#!/bin/sh
rm -f /run/httpd/httpd.pid
exec httpd -DFOREGROUND
EOF
RUN chmod +x /usr/local/bin/start
CMD ["start"]
