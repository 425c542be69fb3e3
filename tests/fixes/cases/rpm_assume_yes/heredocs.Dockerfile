FROM rockylinux:9
# errexit first: a failed install fails the RUN (safe)
RUN <<EOF
set -eux
dnf install \
    gcc \
    make
dnf clean all
EOF
# no errexit: the lines run whatever the one before did (unsafe)
RUN <<EOF
dnf install git
dnf clean all
EOF
# microdnf never asks (safe), quoted name
RUN <<'END'
microdnf install shadow-utils
microdnf clean all
END
# left alone: a shebang (run as a file), <<- with tabs, a heredoc given to a command
RUN <<EOF
#!/bin/bash
dnf install vim
EOF
RUN <<-EOF
	dnf install vim
	EOF
RUN bash <<EOF
dnf install vim
EOF
# inside an `if` the failure need not fail the RUN (unsafe)
RUN <<EOF
if true; then dnf install -q vim; fi
EOF
